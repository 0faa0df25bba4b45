;; SIMD: a load with offset, lane ops, a shuffle, arithmetic and a lane store.
(module
  (memory 1)
  (func $dot (export "dot") (param $p i32) (param $q i32) (result i32)
    (local $v v128)
    (local.set $v
      (i32x4.mul (v128.load offset=16 (local.get $p)) (v128.load align=4 (local.get $q))))
    (local.set $v (i32x4.add (local.get $v)
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
    (v128.store32_lane offset=4 1 (local.get $q) (local.get $v))
    (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v))))
  (func $splat (export "splat") (param f32) (result v128)
    (f32x4.replace_lane 3 (f32x4.splat (local.get 0)) (f32.const -0))))
