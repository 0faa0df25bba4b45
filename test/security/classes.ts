/**
 * The security regression classes: per class a small module (WAT) and driver commands
 * (src/runtime-c/spec_driver.c syntax) that must all pass on every target and bounds mode.
 */
export interface SecurityClass {
  name: string;
  wat: string;
  cmds: string[];
}
const OOB = '"out of bounds memory access"';

export const CLASSES: SecurityClass[] = [
  {
    name: '32-bit index is zero-extended (high bit set never becomes negative)',
    wat: `(module (memory 1) (data (i32.const 0) "\\2a")
      (func (export "ld") (param i32) (result i32) (i32.load8_u offset=16 (local.get 0)))
      (func (export "st") (param i32) (i32.store8 (local.get 0) (i32.const 7))))`,
    cmds: ['assert_trap "ld" i32:0x80000000 -> ' + OOB, 'assert_trap "ld" i32:-16 -> ' + OOB, 'assert_trap "ld" i32:-1 -> ' + OOB,
      'assert_trap "st" i32:0x80000000 -> ' + OOB, 'assert_trap "st" i32:-1 -> ' + OOB, 'assert_return "ld" i32:65519 -> i32:0'],
  },
  {
    name: 'base + index + offset computed in 64 bits (no wrap-around)',
    wat: `(module (memory 1) (data (i32.const 16) "\\2a")
      (func (export "ld") (param i32) (result i32) (i32.load8_u offset=0xfffffff0 (local.get 0)))
      (func (export "ld64") (param i32) (result i64) (i64.load offset=0xfffffff8 (local.get 0))))`,
    cmds: ['assert_trap "ld" i32:0x20 -> ' + OOB, 'assert_trap "ld" i32:0x10 -> ' + OOB, 'assert_trap "ld64" i32:0x8 -> ' + OOB, 'assert_trap "ld64" i32:0xffffffff -> ' + OOB],
  },
  {
    name: 'static offsets >= 2^31 (no disp32 sign extension)',
    wat: `(module (memory 1)
      (func (export "a") (param i32) (result i32) (i32.load offset=0x80000000 (local.get 0)))
      (func (export "b") (param i32) (result i32) (i32.load8_u offset=0xffffffff (local.get 0)))
      (func (export "c") (param i32) (i32.store offset=0x80000000 (local.get 0) (i32.const 1))))`,
    cmds: ['assert_trap "a" i32:0 -> ' + OOB, 'assert_trap "a" i32:0x80000000 -> ' + OOB, 'assert_trap "a" i32:0x7fffffff -> ' + OOB,
      'assert_trap "b" i32:0 -> ' + OOB, 'assert_trap "b" i32:1 -> ' + OOB, 'assert_trap "c" i32:0x80000000 -> ' + OOB, 'assert_trap "c" i32:0 -> ' + OOB],
  },
  {
    name: 'accesses are no wider than declared (last byte readable, wider access there traps)',
    wat: `(module (memory 1) (data (i32.const 65535) "\\9c")
      (func (export "l8") (param i32) (result i32) (i32.load8_s (local.get 0)))
      (func (export "l16") (param i32) (result i32) (i32.load16_u (local.get 0)))
      (func (export "l32") (param i32) (result i32) (i32.load (local.get 0)))
      (func (export "l64") (param i32) (result i64) (i64.load (local.get 0)))
      (func (export "s32") (param i32) (i32.store (local.get 0) (i32.const -1))))`,
    cmds: ['assert_return "l8" i32:65535 -> i32:-100', 'assert_trap "l16" i32:65535 -> ' + OOB, 'assert_return "l16" i32:65534 -> i32:0x9c00',
      'assert_trap "l32" i32:65533 -> ' + OOB, 'assert_return "l32" i32:65532 -> i32:0x9c000000', 'assert_trap "l64" i32:65529 -> ' + OOB,
      'assert_return "l64" i32:65528 -> i64:0x9c00000000000000', 'assert_trap "s32" i32:65533 -> ' + OOB, 'assert_return "l8" i32:65535 -> i32:-100',
      'assert_return "l8" i32:65533 -> i32:0'],
  },
  {
    name: 'a trapping load is never removed as dead code',
    wat: `(module (memory 1)
      (func (export "drop") (param i32) (drop (i32.load (local.get 0))))
      (func (export "unused") (param i32) (result i32) (local i64) (local.set 1 (i64.load offset=8 (local.get 0))) (i32.const 1))
      (func (export "div") (param i32) (drop (i32.div_u (i32.const 1) (local.get 0)))))`,
    cmds: ['assert_trap "drop" i32:65536 -> ' + OOB, 'assert_trap "drop" i32:-1 -> ' + OOB, 'assert_return "drop" i32:0', 'assert_trap "unused" i32:65530 -> ' + OOB,
      'assert_return "unused" i32:0 -> i32:1', 'assert_trap "div" i32:0 -> "integer divide by zero"'],
  },
  {
    name: 'INT_MIN / -1: div_s traps, rem_s is 0',
    wat: `(module
      (func (export "d32") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "r32") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
      (func (export "d64") (param i64 i64) (result i64) (i64.div_s (local.get 0) (local.get 1)))
      (func (export "r64") (param i64 i64) (result i64) (i64.rem_s (local.get 0) (local.get 1)))
      (func (export "r32c") (param i32) (result i32) (i32.rem_s (local.get 0) (i32.const -1)))
      (func (export "d32c") (param i32) (result i32) (i32.div_s (local.get 0) (i32.const -1))))`,
    cmds: ['assert_trap "d32" i32:0x80000000 i32:-1 -> "integer overflow"', 'assert_return "r32" i32:0x80000000 i32:-1 -> i32:0',
      'assert_trap "d64" i64:0x8000000000000000 i64:-1 -> "integer overflow"', 'assert_return "r64" i64:0x8000000000000000 i64:-1 -> i64:0',
      'assert_trap "d32" i32:1 i32:0 -> "integer divide by zero"', 'assert_trap "r64" i64:1 i64:0 -> "integer divide by zero"',
      'assert_return "r32c" i32:0x80000000 -> i32:0', 'assert_trap "d32c" i32:0x80000000 -> "integer overflow"', 'assert_return "d32c" i32:5 -> i32:-5'],
  },
  {
    name: 'float→int truncation boundaries',
    wat: `(module
      (func (export "s32f") (param f32) (result i32) (i32.trunc_f32_s (local.get 0)))
      (func (export "u32f") (param f32) (result i32) (i32.trunc_f32_u (local.get 0)))
      (func (export "s32d") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
      (func (export "u32d") (param f64) (result i32) (i32.trunc_f64_u (local.get 0)))
      (func (export "s64d") (param f64) (result i64) (i64.trunc_f64_s (local.get 0)))
      (func (export "u64d") (param f64) (result i64) (i64.trunc_f64_u (local.get 0)))
      (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0))))`,
    cmds: ['assert_trap "s32f" f32:0x4f000000 -> "integer overflow"', 'assert_return "s32f" f32:0xcf000000 -> i32:0x80000000', 'assert_trap "s32f" f32:0xcf000001 -> "integer overflow"',
      'assert_return "s32f" f32:0x4effffff -> i32:0x7fffff80', 'assert_trap "s32f" f32:0x7fc00000 -> "invalid conversion to integer"',
      'assert_return "u32f" f32:0xbf666666 -> i32:0', 'assert_trap "u32f" f32:0xbf800000 -> "integer overflow"', 'assert_trap "u32f" f32:0x4f800000 -> "integer overflow"',
      'assert_return "s32d" f64:0xc1e00000001ccccd -> i32:0x80000000', 'assert_trap "s32d" f64:0xc1e0000000200000 -> "integer overflow"',
      'assert_return "s32d" f64:0x41dfffffffdccccd -> i32:0x7fffffff', 'assert_trap "s32d" f64:0x41e0000000000000 -> "integer overflow"',
      'assert_return "u32d" f64:0x41efffffffffffff -> i32:-1', 'assert_trap "u32d" f64:0x41f0000000000000 -> "integer overflow"',
      'assert_trap "s64d" f64:0x43e0000000000000 -> "integer overflow"', 'assert_return "s64d" f64:0xc3e0000000000000 -> i64:0x8000000000000000',
      'assert_return "u64d" f64:0x43efffffffffffff -> i64:0xfffffffffffff800', 'assert_trap "u64d" f64:0x43f0000000000000 -> "integer overflow"',
      'assert_trap "u64d" f64:0xfff0000000000000 -> "integer overflow"', 'assert_return "sat" f64:0x7ff8000000000000 -> i32:0', 'assert_return "sat" f64:0xc3e0000000000000 -> i32:0x80000000'],
  },
  {
    name: 'min/max signed zeros and NaN, shift counts taken mod width',
    wat: `(module
      (func (export "min") (param f32 f32) (result f32) (f32.min (local.get 0) (local.get 1)))
      (func (export "max") (param f64 f64) (result f64) (f64.max (local.get 0) (local.get 1)))
      (func (export "shl") (param i32 i32) (result i32) (i32.shl (local.get 0) (local.get 1)))
      (func (export "shr") (param i64 i64) (result i64) (i64.shr_s (local.get 0) (local.get 1)))
      (func (export "shru") (param i32 i32) (result i32) (i32.shr_u (local.get 0) (local.get 1)))
      (func (export "rotl") (param i64 i64) (result i64) (i64.rotl (local.get 0) (local.get 1))))`,
    cmds: ['assert_return "min" f32:0x00000000 f32:0x80000000 -> f32:0x80000000', 'assert_return "min" f32:0x80000000 f32:0x00000000 -> f32:0x80000000',
      'assert_return "max" f64:0x8000000000000000 f64:0x0 -> f64:0x0', 'assert_return "max" f64:0x0 f64:0x8000000000000000 -> f64:0x0',
      'assert_return "min" f32:0x7fc00000 f32:0x3f800000 -> f32:nan:canonical', 'assert_return "min" f32:0x3f800000 f32:0x7fa00000 -> f32:nan:arithmetic',
      'assert_return "max" f64:0x7ff8000000000000 f64:0xfff0000000000000 -> f64:nan:canonical',
      'assert_return "shl" i32:1 i32:32 -> i32:1', 'assert_return "shl" i32:1 i32:33 -> i32:2', 'assert_return "shl" i32:1 i32:-1 -> i32:0x80000000',
      'assert_return "shr" i64:0x8000000000000000 i64:64 -> i64:0x8000000000000000', 'assert_return "shr" i64:0x8000000000000000 i64:63 -> i64:-1',
      'assert_return "shru" i32:0x80000000 i32:31 -> i32:1', 'assert_return "shru" i32:0x80000000 i32:32 -> i32:0x80000000', 'assert_return "rotl" i64:1 i64:-1 -> i64:0x8000000000000000'],
  },
  {
    name: 'call_indirect checks the signature (same arity, different types) and the slot',
    wat: `(module (type $ii (func (param i32) (result i32))) (type $fi (func (param f32) (result i32))) (type $li (func (param i64) (result i32))) (type $il (func (param i32) (result i64)))
      (func $a (type $ii) (i32.add (local.get 0) (i32.const 1)))
      (func $b (type $fi) (i32.reinterpret_f32 (local.get 0)))
      (func $c (type $li) (i32.wrap_i64 (local.get 0)))
      (func $d (type $il) (i64.extend_i32_s (local.get 0)))
      (table 6 funcref) (elem (i32.const 0) $a $b $c $d)
      (func (export "ci") (param i32 i32) (result i32) (call_indirect (type $ii) (local.get 1) (local.get 0))))`,
    cmds: ['assert_return "ci" i32:0 i32:41 -> i32:42', 'assert_trap "ci" i32:1 i32:0 -> "indirect call type mismatch"', 'assert_trap "ci" i32:2 i32:0 -> "indirect call type mismatch"',
      'assert_trap "ci" i32:3 i32:0 -> "indirect call type mismatch"', 'assert_trap "ci" i32:4 i32:0 -> "uninitialized element"', 'assert_trap "ci" i32:6 i32:0 -> "undefined element"',
      'assert_trap "ci" i32:-1 i32:0 -> "undefined element"', 'assert_trap "ci" i32:0x80000000 i32:0 -> "undefined element"'],
  },
  {
    name: 'memory.grow failure has no side effects',
    wat: `(module (memory 1 2) (data (i32.const 65532) "\\01\\02\\03\\04")
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size))
      (func (export "ld") (param i32) (result i32) (i32.load (local.get 0))))`,
    cmds: ['assert_return "grow" i32:2 -> i32:-1', 'assert_return "grow" i32:0x10000 -> i32:-1', 'assert_return "grow" i32:-1 -> i32:-1', 'assert_return "size" -> i32:1',
      'assert_return "ld" i32:65532 -> i32:0x04030201', 'assert_trap "ld" i32:65536 -> ' + OOB, 'assert_return "grow" i32:1 -> i32:1', 'assert_return "ld" i32:65536 -> i32:0',
      'assert_trap "ld" i32:131069 -> ' + OOB, 'assert_return "grow" i32:1 -> i32:-1', 'assert_return "size" -> i32:2'],
  },
  {
    name: 'stack exhaustion in deep and mutual recursion traps cleanly',
    wat: `(module
      (func $deep (export "deep") (param i32) (result i32) (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
      (func $ping (export "ping") (param i64) (result i64) (call $pong (i64.add (local.get 0) (i64.const 1))))
      (func $pong (param i64) (result i64) (local f64 f64 f64 f64) (call $ping (local.get 0)))
      (func $fin (export "fin") (param i32) (result i32) (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (i32.add (call $fin (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))))`,
    cmds: ['assert_exhaustion "deep" i32:0 -> "call stack exhausted"', 'assert_exhaustion "ping" i64:0 -> "call stack exhausted"', 'assert_return "fin" i32:1000 -> i32:1000',
      'assert_exhaustion "deep" i32:0 -> "call stack exhausted"', 'assert_return "fin" i32:10 -> i32:10'],
  },
  {
    name: 'guard region placement: just past the end and 4 GiB + max offset trap',
    wat: `(module (memory 1 3)
      (func (export "b") (param i32) (result i32) (i32.load8_u (local.get 0)))
      (func (export "far") (param i32) (result i64) (i64.load offset=0xffffffff (local.get 0)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`,
    cmds: ['assert_return "b" i32:65535 -> i32:0', 'assert_trap "b" i32:65536 -> ' + OOB, 'assert_trap "b" i32:131072 -> ' + OOB, 'assert_trap "far" i32:-1 -> ' + OOB,
      'assert_trap "far" i32:0 -> ' + OOB, 'assert_return "grow" i32:1 -> i32:1', 'assert_return "b" i32:131071 -> i32:0', 'assert_trap "b" i32:131072 -> ' + OOB, 'assert_trap "far" i32:-1 -> ' + OOB],
  },
];
