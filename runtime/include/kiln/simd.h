/* Packed 16-bit arithmetic of the Arm DSP extension (SXTB16, SMLAD,
 * SMLABB/SMLATT/SMLATB/SMLABT, SXTAB16, SSUB8 with SEL, UXTB16, PKHBT,
 * PKHTB), used by the "dsp"
 * schedules. With __ARM_FEATURE_DSP each helper is one instruction (ACLE
 * intrinsics, or two in one asm statement); elsewhere it is the same
 * arithmetic in plain C, so a module built for a DSP core still runs, bit for
 * bit, on the host or any other processor (only slower). C99. */
#ifndef KILN_SIMD_H_
#define KILN_SIMD_H_

#include <stdint.h>
#include <string.h>

#include "kiln/runtime.h"

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define KILN_HAVE_DSP 1
#else
#define KILN_HAVE_DSP 0
#endif

/* Four int8 values from any address (one LDR on cores with unaligned access). */
static inline uint32_t kiln_read_s8x4(const int8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* A word that may hold any other type's bytes: the direct kernels read
 * their strip, which is written as int16, a word at a time, and under C's
 * strict aliasing a plain uint32_t read of int16 data may be moved before
 * the writes (GCC does, once a layer's sizes are constants). */
#if defined(__GNUC__) || defined(__clang__)
typedef uint32_t __attribute__((may_alias)) kiln_word_t;
#else
typedef uint32_t kiln_word_t;
#endif

/* Words `index` and `index` + 1 of a word-aligned array, `index` a constant:
 * one LDRD on Armv7E-M (GCC splits a 64-bit load into two LDRs). */
#if defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define KILN_READ_U32X2(p, index, first, second)                                      \
  __asm__("ldrd %0, %1, [%2, #%c3]"                                                   \
          : "=r"(first), "=r"(second)                                                 \
          : "r"(p), "n"(4 * (index)), "m"(*(const kiln_word_t(*)[2])((p) + (index))))
#else
#define KILN_READ_U32X2(p, index, first, second) \
  do {                                          \
    (first) = (p)[(index)];                     \
    (second) = (p)[(index) + 1];                \
  } while (0)
#endif

/* Declares `first`, `second`, `third` as words i0, i1, i2 of `p` and
 * `fourth`, `fifth` as words qi, qi + 1 of `q` (constant indices below
 * 1024, word-aligned arrays): five single LDRs in a row, which the
 * Cortex-M4 pipelines into 2 + 1 + 1 + 1 + 1 cycles, where an LDM of three
 * and an LDRD take 4 + 3 (TRM table 3-1). One asm statement keeps them
 * neighbours; it says it reads memory by the clobber, as "m" operands made
 * GCC compute (and spill) addresses the loads do not use. */
#if defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define KILN_READ_U32X3_U32X2(p, i0, i1, i2, q, qi, first, second, third, fourth, fifth)                  \
  uint32_t first, second, third, fourth, fifth;                                                          \
  __asm__("ldr %0, [%5, #%c7]\n\tldr %1, [%5, #%c8]\n\tldr %2, [%5, #%c9]\n\t"                          \
          "ldr %3, [%6, #%c10]\n\tldr %4, [%6, #%c10+4]"                                                 \
          : "=&r"(first), "=&r"(second), "=&r"(third), "=&r"(fourth), "=&r"(fifth)                       \
          : "r"(p), "r"(q), "n"(4 * (i0)), "n"(4 * (i1)), "n"(4 * (i2)), "n"(4 * (qi))                     \
          : "memory")
#else
#define KILN_READ_U32X3_U32X2(p, i0, i1, i2, q, qi, first, second, third, fourth, fifth)                  \
  const uint32_t first = (p)[(i0)], second = (p)[(i1)], third = (p)[(i2)], fourth = (q)[(qi)],           \
                 fifth = (q)[(qi) + 1]
#endif

/* Declares `first` as the word at `p` (any alignment) and `w0`, `w1` as
 * words qi, qi + 1 of the word-aligned `q` (qi a constant): three single
 * LDRs in a row, 4 cycles where an LDR and an LDRD take 5. `p` is a memory
 * operand, so that GCC folds its offset into the load. */
#if defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define KILN_READ_U32_U32X2(p, q, qi, first, w0, w1)                                         \
  uint32_t first, w0, w1;                                                                     \
  __asm__("ldr %0, %3\n\tldr %1, [%4, #%c5]\n\tldr %2, [%4, #%c5+4]"                            \
          : "=&r"(first), "=&r"(w0), "=&r"(w1)                                                \
          : "m"(*(const kiln_word_t*)(const void*)(p)), "r"(q), "n"(4 * (qi))                 \
          : "memory")
#else
#define KILN_READ_U32_U32X2(p, q, qi, first, w0, w1)                                         \
  const uint32_t first = kiln_read_s8x4((const int8_t*)(p)), w0 = (q)[(qi)], w1 = (q)[(qi) + 1]
#endif

/* Declares `first` as the word at byte `pb` of `p` (any alignment) and
 * `w0` .. `w3` as words qi .. qi + 3 of the word-aligned `q` (constants):
 * five single LDRs in a row, 6 cycles where an LDR and an LDM take 7, and
 * no registers pinned for the LDM. KILN_READ_U32X4: the four words alone. */
#if defined(__ARM_ARCH_7EM__) || defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)
#define KILN_READ_U32_U32X4(p, pb, q, qi, first, w0, w1, w2, w3)                                     \
  uint32_t first, w0, w1, w2, w3;                                                                     \
  __asm__("ldr %0, [%5, #%c7]\n\tldr %1, [%6, #%c8]\n\tldr %2, [%6, #%c8+4]\n\t"                       \
          "ldr %3, [%6, #%c8+8]\n\tldr %4, [%6, #%c8+12]"                                              \
          : "=&r"(first), "=&r"(w0), "=&r"(w1), "=&r"(w2), "=&r"(w3)                                  \
          : "r"(p), "r"(q), "n"(pb), "n"(4 * (qi))                                                    \
          : "memory")
#define KILN_READ_U32X4(q, qi, w0, w1, w2, w3)                                                      \
  uint32_t w0, w1, w2, w3;                                                                            \
  __asm__("ldr %0, [%4, #%c5]\n\tldr %1, [%4, #%c5+4]\n\tldr %2, [%4, #%c5+8]\n\tldr %3, [%4, #%c5+12]" \
          : "=&r"(w0), "=&r"(w1), "=&r"(w2), "=&r"(w3)                                                 \
          : "r"(q), "n"(4 * (qi))                                                                     \
          : "memory")
#else
#define KILN_READ_U32_U32X4(p, pb, q, qi, first, w0, w1, w2, w3)                                     \
  const uint32_t first = kiln_read_s8x4((const int8_t*)(p) + (pb));                                   \
  KILN_READ_U32X4(q, qi, w0, w1, w2, w3)
#define KILN_READ_U32X4(q, qi, w0, w1, w2, w3) \
  const uint32_t w0 = (q)[(qi)], w1 = (q)[(qi) + 1], w2 = (q)[(qi) + 2], w3 = (q)[(qi) + 3]
#endif

/* kiln_read_s8x4 of the `count` values left at `p` (the end of a row or a
 * pixel, which must not be read past): fewer than 4 read as 0 above them. */
static KILN_ALWAYS_INLINE uint32_t kiln_read_s8x4_tail(const int8_t* p, int32_t count) {
  uint32_t v = 0;
  int32_t i;
  if (count >= 4) return kiln_read_s8x4(p);
  for (i = 0; i < count; ++i) v |= (uint32_t)(uint8_t)p[i] << (8 * i);
  return v;
}

#if KILN_HAVE_DSP

/* Bytes 0 and 2 of x, sign-extended into the two halfwords. */
static inline uint32_t kiln_sxtb16(uint32_t x) { return (uint32_t)__sxtb16((int32_t)x); }
/* Bytes 1 and 3 of x, sign-extended into the two halfwords. */
/* (GCC 12 does not fold a rotate into the intrinsic: one instruction by hand.) */
static inline uint32_t kiln_sxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
/* acc + lo(a) * lo(b) + hi(a) * hi(b), halfwords signed. */
static inline int32_t kiln_smlad(uint32_t a, uint32_t b, int32_t acc) {
  return __smlad((int16x2_t)a, (int16x2_t)b, acc);
}
/* acc + lo(a) * lo(b). */
static inline int32_t kiln_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  return __smlabb((int32_t)a, (int32_t)b, acc);
}
/* acc + hi(a) * hi(b). */
static inline int32_t kiln_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  return __smlatt((int32_t)a, (int32_t)b, acc);
}
/* acc + hi(a) * lo(b). */
static inline int32_t kiln_smlatb(uint32_t a, uint32_t b, int32_t acc) {
  return __smlatb((int32_t)a, (int32_t)b, acc);
}
/* acc + lo(a) * hi(b). */
static inline int32_t kiln_smlabt(uint32_t a, uint32_t b, int32_t acc) {
  return __smlabt((int32_t)a, (int32_t)b, acc);
}
/* Per halfword: lo(acc) + byte 0 of x, hi(acc) + byte 2 of x, the bytes
 * sign-extended (wrapping, as the instruction does). */
static inline uint32_t kiln_sxtab16(uint32_t acc, uint32_t x) {
  return (uint32_t)__sxtab16((int32_t)acc, (int32_t)x);
}
/* The same with bytes 1 and 3 of x. */
static inline uint32_t kiln_sxtab16_ror8(uint32_t acc, uint32_t x) {
  uint32_t r;
  __asm__("sxtab16 %0, %1, %2, ror #8" : "=r"(r) : "r"(acc), "r"(x));
  return r;
}
/* Per signed byte, the larger of a and b: SSUB8 sets the GE flag of each
 * byte where a >= b, SEL picks by them (one asm statement, so that nothing
 * comes between the two and the flags). */
static inline uint32_t kiln_max_s8x4(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("ssub8 %0, %1, %2\n\tsel %0, %1, %2" : "=&r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
/* Per signed byte, the smaller of a and b. */
static inline uint32_t kiln_min_s8x4(uint32_t a, uint32_t b) {
  uint32_t r;
  __asm__("ssub8 %0, %1, %2\n\tsel %0, %2, %1" : "=&r"(r) : "r"(a), "r"(b) : "cc");
  return r;
}
/* Bytes 0 and 2 of x, zero-extended into the two halfwords. */
static inline uint32_t kiln_uxtb16(uint32_t x) { return __uxtb16(x); }
/* Bytes 1 and 3 of x, zero-extended into the two halfwords. */
static inline uint32_t kiln_uxtb16_ror8(uint32_t x) {
  uint32_t r;
  __asm__("uxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
/* The low halfword of lo, the low halfword of hi above it (PKHBT). */
static inline uint32_t kiln_pack_lo16(uint32_t lo, uint32_t hi) {
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}
/* The high halfword of lo, the high halfword of hi above it (PKHTB). */
static inline uint32_t kiln_pack_hi16(uint32_t lo, uint32_t hi) {
  uint32_t r;
  __asm__("pkhtb %0, %2, %1, asr #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
}

#else

static inline uint32_t kiln_sxtb16(uint32_t x) {
  const uint32_t lo = (uint32_t)(uint16_t)(int16_t)(int8_t)(x & 0xffu);
  const uint32_t hi = (uint32_t)(uint16_t)(int16_t)(int8_t)((x >> 16) & 0xffu);
  return lo | (hi << 16);
}
static inline uint32_t kiln_sxtb16_ror8(uint32_t x) { return kiln_sxtb16((x >> 8) | (x << 24)); }
static inline int32_t kiln_lo16(uint32_t a) { return (int16_t)(a & 0xffffu); }
static inline int32_t kiln_hi16(uint32_t a) { return (int16_t)(a >> 16); }
/* Wrapping int32 sums, as the instructions do. */
static inline int32_t kiln_smlad(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(kiln_lo16(a) * kiln_lo16(b)) +
                   (uint32_t)(kiln_hi16(a) * kiln_hi16(b)));
}
static inline int32_t kiln_smlabb(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(kiln_lo16(a) * kiln_lo16(b)));
}
static inline int32_t kiln_smlatt(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(kiln_hi16(a) * kiln_hi16(b)));
}
static inline int32_t kiln_smlatb(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(kiln_hi16(a) * kiln_lo16(b)));
}
static inline int32_t kiln_smlabt(uint32_t a, uint32_t b, int32_t acc) {
  return (int32_t)((uint32_t)acc + (uint32_t)(kiln_lo16(a) * kiln_hi16(b)));
}
static inline uint32_t kiln_sxtab16(uint32_t acc, uint32_t x) {
  const uint32_t e = kiln_sxtb16(x);
  return ((acc + e) & 0xffffu) | ((((acc >> 16) + (e >> 16)) & 0xffffu) << 16);
}
static inline uint32_t kiln_sxtab16_ror8(uint32_t acc, uint32_t x) {
  return kiln_sxtab16(acc, (x >> 8) | (x << 24));
}
static inline uint32_t kiln_max_s8x4(uint32_t a, uint32_t b) {
  uint32_t r = 0;
  int i;
  for (i = 0; i < 32; i += 8) {
    const int8_t x = (int8_t)(a >> i), y = (int8_t)(b >> i);
    r |= (uint32_t)(uint8_t)(x >= y ? x : y) << i;
  }
  return r;
}
/* Each byte of the maximum is a's or b's: the other one is the minimum. */
static inline uint32_t kiln_min_s8x4(uint32_t a, uint32_t b) { return a ^ b ^ kiln_max_s8x4(a, b); }
static inline uint32_t kiln_uxtb16(uint32_t x) { return x & 0x00ff00ffu; }
static inline uint32_t kiln_uxtb16_ror8(uint32_t x) { return x >> 8 & 0x00ff00ffu; }
static inline uint32_t kiln_pack_lo16(uint32_t lo, uint32_t hi) { return (lo & 0xffffu) | hi << 16; }
static inline uint32_t kiln_pack_hi16(uint32_t lo, uint32_t hi) { return lo >> 16 | (hi & 0xffff0000u); }

#endif

#endif /* KILN_SIMD_H_ */
