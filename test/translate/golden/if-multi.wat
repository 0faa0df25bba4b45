;; if/else with two params and two results; the arms assign different locals.
(module
  (func $swap_or_add (export "swap_or_add") (param $c i32) (param $a i32) (param $b i32) (result i32 i32)
    (local $x i64) (local $y f32)
    (local.get $a) (local.get $b)
    (if (param i32 i32) (result i32 i32) (local.get $c)
      (then
        (local.set $x (i64.const 7))
        (i32.add) (i32.const 1))
      (else
        (local.set $y (f32.const 2.5))
        (local.set $b) (local.set $a)
        (local.get $b) (local.get $a)))
    (drop (local.get $x))
    (drop (local.get $y)))
  ;; if without else: the false edge carries the params straight to the merge.
  (func $maybe_double (export "maybe_double") (param i32 i32) (result i32)
    (local.get 1)
    (if (param i32) (result i32) (local.get 0)
      (then (i32.const 2) (i32.mul)))))
