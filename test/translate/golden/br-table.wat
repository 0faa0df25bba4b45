;; br_table to blocks carrying a value, the default included; and to a loop label.
(module
  (func $classify (export "classify") (param i32) (result i32)
    (block $c (result i32)
      (block $b (result i32)
        (block $a (result i32)
          (i32.const 100)
          (br_table $a $b $c $b (local.get 0)))
        (i32.const 1) (i32.add)
        (br $c))
      (i32.const 2) (i32.mul)))
  (func $spin (export "spin") (param i32) (result i32)
    (local $n i32)
    (block $out
      (loop $again
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br_table $again $out (i32.eqz (local.get 0)))))
    (local.get $n)))
