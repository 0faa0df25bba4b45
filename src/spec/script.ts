/**
 * The spec-script command model: the JSON that wabt's `wast2json` writes for a `.wast`
 * file, typed. Modules referenced by commands are separate files beside the JSON
 * (`.wasm` for binary modules, `.wat` for text-format ones).
 */

export interface SpecValue {
  /** i32 i64 f32 f64 v128 funcref externref */
  type: string;
  /** Decimal bits for numbers ("nan:canonical"/"nan:arithmetic" allowed in expectations), "null" for refs. */
  value?: string | string[];
  /** v128 lane shape, e.g. "i32" with `value` as four decimal lane strings. */
  lane_type?: string;
}

export interface SpecAction {
  type: 'invoke' | 'get';
  module?: string;
  field: string;
  args?: SpecValue[];
}

export type SpecCommandType =
  | 'module'
  | 'action'
  | 'register'
  | 'assert_return'
  | 'assert_trap'
  | 'assert_exhaustion'
  | 'assert_malformed'
  | 'assert_invalid'
  | 'assert_unlinkable'
  | 'assert_uninstantiable';

export interface SpecCommand {
  type: SpecCommandType;
  line: number;
  filename?: string;
  /** Module name bound by `(module $name ...)`. */
  name?: string;
  /** `register` alias. */
  as?: string;
  module_type?: 'binary' | 'text';
  /** Expected error or trap message. */
  text?: string;
  action?: SpecAction;
  expected?: SpecValue[];
}

export interface SpecScript {
  source_filename: string;
  commands: SpecCommand[];
}

/** Commands whose outcome can be decided without running any code. */
export const STATIC_COMMANDS: ReadonlySet<SpecCommandType> = new Set(['module', 'assert_malformed', 'assert_invalid']);
