;; A counting loop: locals i and acc become loop-header parameters; n does not.
(module
  (func $sum (export "sum") (param $n i32) (result i32)
    (local $i i32) (local $acc i32)
    (block $done
      (loop $top
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (local.get $i)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $top)))
    (local.get $acc))
  ;; A loop with a parameter and a result (multi-value block types).
  (func $countdown (export "countdown") (param i64) (result i64)
    (local.get 0)
    (loop $l (param i64) (result i64)
      (i64.sub (i64.const 1))
      (local.tee 0)
      (br_if $l (i64.gt_s (local.get 0) (i64.const 0))))))
