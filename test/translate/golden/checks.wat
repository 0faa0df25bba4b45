;; Trapping arithmetic: each op is preceded by its explicit checks.
(module
  (func $div (export "div") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func $rem (export "rem") (param i64 i64) (result i64)
    (i64.rem_u (local.get 0) (local.get 1)))
  (func $trunc (export "trunc") (param f64) (result i32)
    (i32.trunc_f64_u (local.get 0)))
  (func $trunc_sat (export "trunc_sat") (param f32) (result i64)
    (i64.trunc_sat_f32_s (local.get 0)))
  ;; Constant operands: -O2 folds the checks away when they cannot fail.
  (func $div_const (export "div_const") (param i32) (result i32)
    (i32.div_u (local.get 0) (i32.const 8))))
