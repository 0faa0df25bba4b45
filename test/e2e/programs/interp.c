/* A small bytecode interpreter: a stack machine whose dispatch is one big switch (br_table). */
#include <stdio.h>
#include <stdint.h>

enum Op { PUSH, POP, DUP, SWAP, OVER, ADD, SUB, MUL, DIV, MOD, NEG, AND, OR, XOR, SHL, SHR,
          EQ, LT, GT, NOT, JMP, JZ, JNZ, LOAD, STORE, CALL, RET, PRINT, INC, DEC, HALT };
static const char *NAMES[] = {"push", "pop", "dup", "swap", "over", "add", "sub", "mul", "div", "mod", "neg", "and",
  "or", "xor", "shl", "shr", "eq", "lt", "gt", "not", "jmp", "jz", "jnz", "load", "store", "call", "ret", "print", "inc", "dec", "halt"};

typedef struct { int64_t stack[256]; int sp; int64_t vars[16]; int rstack[64]; int rsp; uint64_t steps; uint64_t out; } VM;

static int run(VM *vm, const int32_t *code, uint32_t *histogram) {
  int pc = 0;
  for (;;) {
    int op = code[pc++];
    histogram[op]++;
    vm->steps++;
    int64_t a, b;
    switch (op) {
    case PUSH: vm->stack[vm->sp++] = code[pc++]; break;
    case POP: vm->sp--; break;
    case DUP: vm->stack[vm->sp] = vm->stack[vm->sp - 1]; vm->sp++; break;
    case SWAP: a = vm->stack[vm->sp - 1]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 2]; vm->stack[vm->sp - 2] = a; break;
    case OVER: vm->stack[vm->sp] = vm->stack[vm->sp - 2]; vm->sp++; break;
    case ADD: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] += b; break;
    case SUB: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] -= b; break;
    case MUL: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] *= b; break;
    case DIV: b = vm->stack[--vm->sp]; if (b == 0) return -1; vm->stack[vm->sp - 1] /= b; break;
    case MOD: b = vm->stack[--vm->sp]; if (b == 0) return -1; vm->stack[vm->sp - 1] %= b; break;
    case NEG: vm->stack[vm->sp - 1] = -vm->stack[vm->sp - 1]; break;
    case AND: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] &= b; break;
    case OR: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] |= b; break;
    case XOR: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] ^= b; break;
    case SHL: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = (int64_t)((uint64_t)vm->stack[vm->sp - 1] << (b & 63)); break;
    case SHR: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] >>= (b & 63); break;
    case EQ: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] == b; break;
    case LT: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] < b; break;
    case GT: b = vm->stack[--vm->sp]; vm->stack[vm->sp - 1] = vm->stack[vm->sp - 1] > b; break;
    case NOT: vm->stack[vm->sp - 1] = !vm->stack[vm->sp - 1]; break;
    case JMP: pc = code[pc]; break;
    case JZ: a = vm->stack[--vm->sp]; pc = a == 0 ? code[pc] : pc + 1; break;
    case JNZ: a = vm->stack[--vm->sp]; pc = a != 0 ? code[pc] : pc + 1; break;
    case LOAD: vm->stack[vm->sp++] = vm->vars[code[pc++]]; break;
    case STORE: vm->vars[code[pc++]] = vm->stack[--vm->sp]; break;
    case CALL: vm->rstack[vm->rsp++] = pc + 1; pc = code[pc]; break;
    case RET: pc = vm->rstack[--vm->rsp]; break;
    case PRINT: a = vm->stack[--vm->sp]; printf("  out %lld\n", (long long)a); vm->out = vm->out * 31 + (uint64_t)a; break;
    case INC: vm->stack[vm->sp - 1]++; break;
    case DEC: vm->stack[vm->sp - 1]--; break;
    case HALT: return 0;
    default: return -2;
    }
  }
}

/* Program: sum of primes below 3000 by trial division, fib(60) iteratively, a subroutine called
 * five times, then a few constant expressions. Jump targets are patched as it is assembled. */
int main(void) {
  int32_t code[512]; int n = 0;
#define E(...) do { int32_t t_[] = {__VA_ARGS__}; for (unsigned i_ = 0; i_ < sizeof t_ / sizeof t_[0]; i_++) code[n++] = t_[i_]; } while (0)
  E(PUSH, 0, STORE, 0, PUSH, 2, STORE, 1);
  int loop = n; E(LOAD, 1, PUSH, 3000, LT, JZ); int exit_fix = n; E(0);
  E(PUSH, 2, STORE, 2);
  int inner = n; E(LOAD, 2, DUP, MUL, LOAD, 1, GT, JNZ); int prime_fix = n; E(0);
  E(LOAD, 1, LOAD, 2, MOD, JZ); int comp_fix = n; E(0);
  E(LOAD, 2, INC, STORE, 2, JMP, inner);
  code[prime_fix] = n; E(LOAD, 0, LOAD, 1, ADD, STORE, 0);
  code[comp_fix] = n; E(LOAD, 1, INC, STORE, 1, JMP, loop);
  code[exit_fix] = n; E(LOAD, 0, PRINT);
  /* fib(60) */
  E(PUSH, 0, STORE, 3, PUSH, 1, STORE, 4, PUSH, 60, STORE, 5);
  int fl = n; E(LOAD, 5, JZ); int fe = n; E(0);
  E(LOAD, 3, LOAD, 4, DUP, STORE, 3, ADD, STORE, 4, LOAD, 5, DEC, STORE, 5, JMP, fl);
  code[fe] = n; E(LOAD, 3, PRINT);
  /* subroutine: square-and-xor, called 5 times */
  E(PUSH, 5, STORE, 6);
  int cl = n; E(LOAD, 6, JZ); int ce = n; E(0);
  E(LOAD, 6, CALL); int sub_fix = n; E(0);
  E(PRINT, LOAD, 6, DEC, STORE, 6, JMP, cl);
  code[ce] = n; E(PUSH, -7, PUSH, 2, SHL, PUSH, 1, SHR, NEG, PUSH, 100, PUSH, 7, DIV, SUB, PRINT, PUSH, 12, PUSH, 10, AND, PUSH, 3, OR, PUSH, 5, XOR, PRINT, HALT);
  code[sub_fix] = n; E(DUP, MUL, PUSH, 0x55, XOR, PUSH, 3, OVER, SWAP, POP, MOD, NOT, PUSH, 1, EQ, ADD, RET);

  static VM vm; uint32_t hist[HALT + 1] = {0};
  int rc = run(&vm, code, hist);
  printf("rc=%d steps=%llu code=%d words out=%llu sp=%d\n", rc, (unsigned long long)vm.steps, n, (unsigned long long)vm.out, vm.sp);
  for (int i = 0; i <= HALT; i++) if (hist[i]) printf("%-5s %u\n", NAMES[i], hist[i]);
  return (int)(vm.out & 0x7f);
}
