/* A bytecode interpreter: a small stack machine with locals, calls and 24 opcodes in one
 * big switch, running a guest program (nested loops, a recursive function, arithmetic
 * mixing) assembled at start-up. The guest's outer loop count is the size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
  OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL,
  OP_DIVU, OP_REMU, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_LT, OP_EQ, OP_JMP, OP_JZ,
  OP_CALL, OP_RET, OP_INC
};

static int32_t code[512];
static int pc_emit;
static void emit(int32_t op) { code[pc_emit++] = op; }
static void emit2(int32_t op, int32_t arg) { code[pc_emit++] = op; code[pc_emit++] = arg; }

static uint32_t run(int32_t entry, uint32_t arg) {
  uint32_t stack[1024];
  uint32_t locals[64 * 8];
  int32_t rstack[64];
  int sp = 0, fp = 0, rsp = 0;
  int32_t pc = entry;
  locals[0] = arg;
  for (;;) {
    int32_t op = code[pc++];
    switch (op) {
    case OP_HALT: return stack[sp - 1];
    case OP_PUSH: stack[sp++] = (uint32_t)code[pc++]; break;
    case OP_POP: sp--; break;
    case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
    case OP_SWAP: { uint32_t t = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = t; break; }
    case OP_LOAD: stack[sp++] = locals[fp + code[pc++]]; break;
    case OP_STORE: locals[fp + code[pc++]] = stack[--sp]; break;
    case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
    case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
    case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
    case OP_DIVU: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] / stack[sp] : 0; break;
    case OP_REMU: sp--; stack[sp - 1] = stack[sp] ? stack[sp - 1] % stack[sp] : 0; break;
    case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
    case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
    case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
    case OP_SHL: sp--; stack[sp - 1] <<= (stack[sp] & 31); break;
    case OP_SHR: sp--; stack[sp - 1] >>= (stack[sp] & 31); break;
    case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
    case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
    case OP_JMP: pc = code[pc]; break;
    case OP_JZ: if (stack[--sp] == 0) pc = code[pc]; else pc++; break;
    case OP_CALL: /* argument on the stack becomes local 0 of the new frame */
      rstack[rsp++] = pc + 1;
      fp += 8;
      locals[fp] = stack[--sp];
      pc = code[pc];
      break;
    case OP_RET: fp -= 8; pc = rstack[--rsp]; break;
    case OP_INC: locals[fp + code[pc]]++; pc++; break;
    default: printf("bad opcode %d\n", op); exit(1);
    }
  }
}

int main(int argc, char **argv) {
  int outer = argc > 1 ? atoi(argv[1]) : 700;
  /* f(n): if n < 2 return n*3+1 else return f(n-1) ^ (f(n-2) + n)  (a recursive guest function) */
  int f = pc_emit;
  emit2(OP_LOAD, 0); emit2(OP_PUSH, 2); emit(OP_LT); emit2(OP_JZ, 0); int patch = pc_emit - 1;
  emit2(OP_LOAD, 0); emit2(OP_PUSH, 3); emit(OP_MUL); emit2(OP_PUSH, 1); emit(OP_ADD); emit(OP_RET);
  code[patch] = pc_emit;
  emit2(OP_LOAD, 0); emit2(OP_PUSH, 1); emit(OP_SUB); emit2(OP_CALL, f);
  emit2(OP_LOAD, 0); emit2(OP_PUSH, 2); emit(OP_SUB); emit2(OP_CALL, f);
  emit2(OP_LOAD, 0); emit(OP_ADD); emit(OP_XOR); emit(OP_RET);
  /* main(n): acc = 0; for i in 0..n: { for j in 0..20000: acc = (acc*33 ^ j) + (j%7) << (i&3);  acc += f(12 + i%4) } */
  int entry = pc_emit;
  emit2(OP_PUSH, 0); emit2(OP_STORE, 1); /* acc */
  emit2(OP_PUSH, 0); emit2(OP_STORE, 2); /* i */
  int outer_top = pc_emit;
  emit2(OP_LOAD, 2); emit2(OP_LOAD, 0); emit(OP_LT); emit2(OP_JZ, 0); int patch_outer = pc_emit - 1;
  emit2(OP_PUSH, 0); emit2(OP_STORE, 3); /* j */
  int inner_top = pc_emit;
  emit2(OP_LOAD, 3); emit2(OP_PUSH, 20000); emit(OP_LT); emit2(OP_JZ, 0); int patch_inner = pc_emit - 1;
  emit2(OP_LOAD, 1); emit2(OP_PUSH, 33); emit(OP_MUL); emit2(OP_LOAD, 3); emit(OP_XOR);
  emit2(OP_LOAD, 3); emit2(OP_PUSH, 7); emit(OP_REMU);
  emit2(OP_LOAD, 2); emit2(OP_PUSH, 3); emit(OP_AND); emit(OP_SHL); emit(OP_ADD);
  emit2(OP_STORE, 1);
  emit2(OP_INC, 3); emit2(OP_JMP, inner_top);
  code[patch_inner] = pc_emit;
  emit2(OP_LOAD, 2); emit2(OP_PUSH, 4); emit(OP_REMU); emit2(OP_PUSH, 12); emit(OP_ADD); emit2(OP_CALL, f);
  emit2(OP_LOAD, 1); emit(OP_ADD); emit2(OP_STORE, 1);
  emit2(OP_INC, 2); emit2(OP_JMP, outer_top);
  code[patch_outer] = pc_emit;
  emit2(OP_LOAD, 1); emit(OP_HALT);
  uint32_t r = run(entry, (uint32_t)outer);
  printf("vm outer=%d checksum=%08x\n", outer, r);
  return 0;
}
