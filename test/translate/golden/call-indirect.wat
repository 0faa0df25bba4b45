;; call, call_indirect (table.check_call + call_ref), ref.func, an import and a table.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (import "env" "log" (func $log (param i32)))
  (table $t 4 funcref)
  (elem (table $t) (i32.const 0) func $add $sub)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func $apply (export "apply") (param $op i32) (param $a i32) (param $b i32) (result i32)
    (call $log (local.get $op))
    (call_indirect $t (type $binop) (local.get $a) (local.get $b) (local.get $op)))
  (func $ref (export "ref") (result funcref)
    (ref.func $add)))
