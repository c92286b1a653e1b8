#!/usr/bin/env python3
"""Independent reference for tests/kernels/{elementwise,activations,quantize}_test.cc.

Models TFLite Micro's int8 ADD / SUB / MUL / ADD_N, RELU, LEAKY_RELU, HARD_SWISH and
QUANTIZE (requantization) from their definitions: the Prepare arithmetic of
add_common.cc (double), add_n.cc (double; its int8 sum starts from the
rescaled -zero_point, as reference_ops::AddN's loop does), sub_common.cc (float, then double; int16 SUB runs the
ADD kernel with input2's multiplier negated), mul_common.cc,
activations_common.cc, leaky_relu_common.cc, hard_swish_common.cc and
quantize_common.cc, and the reference kernels' integer steps. The fixed-point
primitives are defined by what they compute, with exact integers:
  SaturatingRoundingDoublingHighMul(a, b) = floor(a*b / 2^(N-1) + 1/2)   (N = 32 or 16,
      (-2^(N-1))^2 saturating to 2^(N-1) - 1);
  SaturatingDoublingHighMul16(a, b) = a*b / 2^15 truncated toward zero;
  RoundingDivideByPOT(x, e) = x / 2^e rounded to nearest, ties away from zero
      (for int16 and e >= 16, gemmlowp's int16 mask degenerates to all ones:
      modelled separately below).
Float32 arithmetic is emulated by rounding every double result to float32
(exact for one +, -, *, / of float operands). Not derived from Kiln's C.

Usage: python3 elementwise_reference.py > elementwise_golden.inc
"""
import math
import struct

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def flit(x):
    """A C++ float literal that reads back as float32 x."""
    s = "%.9g" % x
    if "." not in s and "e" not in s:
        s += ".0"
    return s + "f"


def round_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def wrap(x, bits):
    m = 1 << bits
    return ((x + (m >> 1)) % m) - (m >> 1)


def quantize_multiplier(real):
    """tflite::QuantizeMultiplier (frexp, std::round, 2^31 fix-up, underflow)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = round_away(q * 2.0**31)
    if q_fixed == 2**31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        shift, q_fixed = 0, 0
    return int(q_fixed), shift


def srdhm(a, b, bits=32):
    top = 1 << (bits - 1)
    if a == b == -top:
        return top - 1
    # floor(a*b / top + 1/2), with exact integer (floor) division.
    return (2 * a * b + top) // (2 * top)


def rdbpot(x, e):
    if e == 0:
        return x
    q, r = divmod(abs(x), 1 << e)
    if 2 * r >= (1 << e):
        q += 1
    return q if x >= 0 else -q


def rdbpot16(x, e):
    """gemmlowp RoundingDivideByPOT<int16_t>: for e >= 16 the int16 mask is -1."""
    if e < 16:
        return rdbpot(x, e)
    # mask = -1, remainder = x, threshold = -1 + (x < 0); result (x >> e) + (x > threshold)
    threshold = -1 + (1 if x < 0 else 0)
    return wrap((x >> e) + (1 if x > threshold else 0), 16)


def mbqm(x, m, shift):
    """MultiplyByQuantizedMultiplier (double rounding)."""
    left = shift if shift > 0 else 0
    right = -shift if shift < 0 else 0
    return rdbpot(srdhm(wrap(x * (1 << left), 32), m), right)


def act_range(act, scale, zp, qmin=-128, qmax=127):
    """CalculateActivationRangeQuantized: zp + round(f / scale), division in float."""
    q = lambda f: zp + round_away(f32(f / scale))
    if act == "NONE":
        return qmin, qmax
    if act == "RELU":
        return max(qmin, q(0.0)), qmax
    if act == "RELU6":
        return max(qmin, q(0.0)), min(qmax, q(6.0))
    if act == "RELU_N1_TO_1":
        return max(qmin, q(-1.0)), min(qmax, q(1.0))
    raise ValueError(act)


class Lcg:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF

    def next(self):
        self.s = (self.s * 1664525 + 1013904223) & 0xFFFFFFFF
        return self.s

    def i8(self):
        return (self.next() >> 24) - 128


def arr(values):
    return "{" + ", ".join(str(v) for v in values) + "}"


# --- ADD / SUB / MUL -----------------------------------------------------------


def add_sub_params(op, s1, s2, so, left_shift=20):
    if op == "add":
        twice = 2 * max(s1, s2)
        r1, r2 = s1 / twice, s2 / twice
        ro = twice / ((1 << left_shift) * so)
    else:
        twice = f32(2 * max(s1, s2))
        r1, r2 = f32(s1 / twice), f32(s2 / twice)
        ro = f32(twice / f32((1 << left_shift) * so))
    return quantize_multiplier(r1), quantize_multiplier(r2), quantize_multiplier(ro)


def broadcast(sa, sb):
    rank = max(len(sa), len(sb))
    a = [1] * (rank - len(sa)) + list(sa)
    b = [1] * (rank - len(sb)) + list(sb)
    out = [max(x, y) for x, y in zip(a, b)]
    return a, b, out


def flat_index(idx, dims):
    i = 0
    for k, d in zip(idx, dims):
        i = i * d + (k if d > 1 else 0)
    return i


def all_indices(dims):
    if not dims:
        yield []
        return
    for head in range(dims[0]):
        for tail in all_indices(dims[1:]):
            yield [head] + tail


def binary_case(name, op, sa, sb, s1, s2, so, z1, z2, zo, act, seed, a=None, b=None, bits=8):
    """bits=16: int16 ADD/SUB (left shift 15) and MUL, int16 ranges, operands from the LCG * 256."""
    s1, s2, so = f32(s1), f32(s2), f32(so)
    left_shift = 20 if bits == 8 else 15
    qmin, qmax = (-128, 127) if bits == 8 else (-32768, 32767)
    draw = (lambda r: r.i8()) if bits == 8 else (lambda r: r.i8() * 256 + (r.next() >> 24))
    ea, eb, out = broadcast(sa, sb)
    rng = Lcg(seed)
    na = math.prod(sa) if sa else 1
    nb = math.prod(sb) if sb else 1
    a = a if a is not None else [draw(rng) for _ in range(na)]
    b = b if b is not None else [draw(rng) for _ in range(nb)]
    lo, hi = act_range(act, so, zo, qmin, qmax)
    expected = []
    if op == "mul":
        m, s = quantize_multiplier(s1 * s2 / so)
        params = (0, 0, 0, 0, m, s)
    else:
        (m1, sh1), (m2, sh2), (mo, sho) = add_sub_params(op, s1, s2, so, left_shift)
        # TFLite Micro computes int16 SUB as ADD with input2's multiplier
        # negated: the high multiply's ties then round the other way.
        negate = op == "sub" and bits == 16
        params = (m1, sh1, -m2 if negate else m2, sh2, mo, sho)
    plain_sub_differs = False
    for idx in all_indices(out):
        x = a[flat_index(idx, ea)]
        y = b[flat_index(idx, eb)]
        if op == "mul":
            raw = zo + mbqm((x - z1) * (y - z2), params[4], params[5])
        else:
            v1 = mbqm((x - z1) * (1 << left_shift), params[0], params[1])
            v2 = mbqm((y - z2) * (1 << left_shift), params[2], params[3])
            if op == "sub" and bits == 16:
                raw = mbqm(v1 + v2, params[4], params[5]) + zo
                plain = mbqm(v1 - mbqm((y - z2) * (1 << left_shift), -params[2], params[3]),
                             params[4], params[5]) + zo
                plain_sub_differs |= min(hi, max(lo, raw)) != min(hi, max(lo, plain))
            else:
                raw = mbqm(v1 + v2 if op == "add" else v1 - v2, params[4], params[5]) + zo
        expected.append(min(hi, max(lo, raw)))
    if name == "sub16_ties":
        assert plain_sub_differs, name
    return (
        f'    {{"{name}", "{op}", {bits}, {arr(sa)}, {arr(sb)}, {arr(out)}, {flit(s1)}, {flit(s2)}, '
        f'{flit(so)}, {z1}, {z2}, {zo}, "{act}",\n'
        f"     {params[0]}, {params[1]}, {params[2]}, {params[3]}, {params[4]}, {params[5]}, "
        f"{lo}, {hi},\n     {arr(a)},\n     {arr(b)},\n     {arr(expected)}}},"
    )


# --- ADD_N ------------------------------------------------------------------------


def add_n_case(name, shape, n, s, z, so, zo, seed, inputs=None):
    """int8 ADD_N of n inputs sharing scale s and zero point z (add_n.cc)."""
    s, so = f32(s), f32(so)
    twice = 2 * s
    mi, shi = quantize_multiplier(s / twice)
    mo, sho = quantize_multiplier(twice / ((1 << 20) * so))
    count = math.prod(shape)
    rng = Lcg(seed)
    inputs = inputs if inputs is not None else [[rng.i8() for _ in range(count)] for _ in range(n)]
    rescaled = lambda v: mbqm(v * (1 << 20), mi, shi)
    expected = []
    for i in range(count):
        acc = rescaled(-z)
        for j in range(n):
            acc = wrap(acc + rescaled(inputs[j][i] - z), 32)
        expected.append(min(127, max(-128, mbqm(acc, mo, sho) + zo)))
    flat = [v for x in inputs for v in x]
    return (
        f'    {{"{name}", {arr(shape)}, {n}, {flit(s)}, {z}, {flit(so)}, {zo},\n'
        f"     {mi}, {shi}, {mo}, {sho},\n     {arr(flat)},\n     {arr(expected)}}},"
    )


# --- RELU / LEAKY_RELU / HARD_SWISH ---------------------------------------------


def relu_case(name, si, zi, so, zo):
    si, so = f32(si), f32(so)
    m, s = quantize_multiplier(si / so)
    lo = max(-128, zo + round_away(f32(0.0 / so)))
    out = [min(127, max(lo, zo + mbqm(x - zi, m, s))) for x in range(-128, 128)]
    return f'    {{"{name}", {flit(si)}, {zi}, {flit(so)}, {zo}, {m}, {s}, {lo}, {arr(out)}}},'


def leaky_case(name, si, zi, so, zo, alpha):
    si, so, alpha = f32(si), f32(so), f32(alpha)
    ma, sa = quantize_multiplier(f32(f32(si * alpha) / so))
    mi, sidn = quantize_multiplier(f32(si / so))
    out = []
    for x in range(-128, 128):
        v = x - zi
        r = zo + (mbqm(v, mi, sidn) if v >= 0 else mbqm(v, ma, sa))
        out.append(min(127, max(-128, r)))
    return (f'    {{"{name}", {flit(si)}, {zi}, {flit(so)}, {zo}, {flit(alpha)}, {mi}, {sidn}, '
            f"{ma}, {sa}, {arr(out)}}},")


def downscale16(m):
    if m >= INT32_MAX - (1 << 15):
        return 32767
    return (m + (1 << 15)) >> 16


def trunc_div(a, b):
    q = abs(a) // b
    return q if a >= 0 else -q


def sat16(x):
    return max(-32768, min(32767, x))


def hard_swish_case(name, si, zi, so, zo):
    si, so = f32(si), f32(so)
    hires = f32(f32(1.0 / 128.0) * si)
    reluish_scale = f32(3.0 / 32768.0)
    om32, oexp = quantize_multiplier(f32(hires / so))
    rm32, rexp = quantize_multiplier(f32(hires / reluish_scale))
    assert oexp <= 0
    om, rm = downscale16(om32), downscale16(rm32)
    out = []
    for x in range(-128, 128):
        v = wrap(x - zi, 16)
        hi_v = wrap(v * 128, 16)
        pre = srdhm(hi_v, om, 16)
        r = hi_v
        if rexp > 0:
            r = sat16(r * (1 << (rexp - 1)))
        r = srdhm(r, rm, 16)
        if rexp > 0:
            r = sat16(r * 2)
        if rexp < 0:
            r = rdbpot16(r, -rexp)
        r = (r + (1 << 15)) >> 1
        p = 32767 if r == pre == -32768 else wrap(trunc_div(r * pre, 32768), 16)
        o = wrap(rdbpot16(p, -oexp) + zo, 16)
        out.append(max(-128, min(127, o)))
    return (f'    {{"{name}", {flit(si)}, {zi}, {flit(so)}, {zo}, {om}, {oexp}, {rm}, {rexp}, '
            f"{arr(out)}}},")


# --- QUANTIZE (requantization) ----------------------------------------------------

RANGES = {"s8": (-128, 127), "u8": (0, 255), "s16": (-32768, 32767), "s32": (INT32_MIN, INT32_MAX)}


def requant_case(name, tin, tout, si, zi, so, zo, inputs):
    si, so = f32(si), f32(so)
    m, s = quantize_multiplier(si / so)
    lo, hi = RANGES[tout]
    out = [min(hi, max(lo, wrap(mbqm(wrap(x - zi, 32), m, s) + zo, 32))) for x in inputs]
    return (f'    {{"{name}", "{tin}", "{tout}", {flit(si)}, {zi}, {flit(so)}, {zo}, {m}, {s}, '
            f"{arr(inputs)}, {arr(out)}}},")


def main():
    print("// Generated by tests/kernels/elementwise_reference.py. Do not edit.")
    print("// clang-format off")
    print("const BinaryCase kBinaryCases[] = {")
    print(binary_case("add_same_shape", "add", [1, 2, 2, 3], [1, 2, 2, 3], 0.05, 0.03, 0.07,
                      -5, 12, -20, "NONE", 1))
    print(binary_case("add_broadcast_relu", "add", [2, 1, 3], [4, 1], 0.02, 0.04, 0.05,
                      3, -7, -128, "RELU", 2))
    print(binary_case("add_rank6_relu6", "add", [2, 1, 2, 1, 2, 1], [1, 3, 1, 2, 1, 2],
                      0.1, 0.08, 0.09, 0, -1, -60, "RELU6", 3))
    print(binary_case("add_scalar_relu_n1_to_1", "add", [5], [], 0.01, 0.02, 0.012,
                      -3, 9, 1, "RELU_N1_TO_1", 4))
    # Output scale twice the (equal) input scales: every odd x + y is a tie.
    ties = list(range(-9, 10))
    print(binary_case("add_ties", "add", [19], [19], 0.1, 0.1, 0.2, 0, 0, 0, "NONE", 5,
                      a=ties, b=[1] * 19))
    print(binary_case("add_extremes", "add", [8], [8], 0.5, 0.001, 0.003, -128, 127, 0,
                      "NONE", 6, a=[-128, 127, 0, -1, 1, 100, -100, 55],
                      b=[127, -128, 127, -128, 0, 3, -3, 50]))
    print(binary_case("sub_same_shape", "sub", [3, 4], [3, 4], 0.0378, 0.0214, 0.0517,
                      -9, 4, 11, "NONE", 7))
    print(binary_case("sub_broadcast_relu", "sub", [2, 3, 1], [1, 1, 4], 0.05, 0.05, 0.1,
                      0, 0, -128, "RELU", 8))
    print(binary_case("mul_same_shape", "mul", [2, 8], [2, 8], 0.5, 0.25, 0.01, 1, -2, 5,
                      "NONE", 9))
    print(binary_case("mul_broadcast_relu6", "mul", [3, 1, 2], [4, 1], 0.02, 0.03, 0.0235294122,
                      -10, 20, -128, "RELU6", 10))
    print(binary_case("mul_small_multiplier", "mul", [16], [16], 0.003, 0.002, 0.4, 0, 0, 0,
                      "NONE", 11))
    print(binary_case("add16_same_shape", "add", [2, 6], [2, 6], 0.0004, 0.0007, 0.001, 0, 0, 0,
                      "NONE", 12, bits=16))
    print(binary_case("add16_broadcast_relu6", "add", [3, 4], [4], 0.0003, 0.0002, 0.00025,
                      5, -9, 0, "RELU6", 13, bits=16))
    print(binary_case("add16_extremes", "add", [6], [6], 1.0, 1.0, 2.0, -32768, 0, 0, "NONE", 14,
                      a=[32767, -32768, 0, 1, -1, 12345], b=[32767, -32768, 1, 2, -2, -3],
                      bits=16))
    print(binary_case("sub16_broadcast_relu", "sub", [2, 1, 5], [3, 1], 0.0005, 0.0003, 0.0006,
                      0, 0, 0, "RELU", 15, bits=16))
    # Operands where the negated multiplier's rounding changes the result
    # (by one in the first two elements).
    print(binary_case("sub16_ties", "sub", [4], [4], 0.0005, 0.0003, 0.0006, 0, 0, 0, "NONE", 16,
                      a=[13851, 13857, 100, -5000], b=[-32384, -32384, -32384, 77], bits=16))
    # int16 MUL (TFLite Micro: zero points 0): a scale ratio below one, and
    # one above it with broadcasting and RELU; the extremes' product 2^30.
    print(binary_case("mul16_same_shape", "mul", [2, 5], [2, 5], 0.0004, 0.0003, 0.002, 0, 0, 0, "NONE", 17,
                      bits=16))
    print(binary_case("mul16_broadcast_relu", "mul", [3, 1, 4], [2, 1], 0.002, 0.003, 0.1, 0, 0, 0, "RELU",
                      18, bits=16))
    print(binary_case("mul16_extremes", "mul", [4], [4], 1.0, 1.0, 32768.0, 0, 0, 0, "NONE", 19,
                      a=[-32768, -32768, 32767, 1], b=[-32768, 32767, 32767, -1], bits=16))
    print("};")

    print("const AddNCase kAddNCases[] = {")
    print(add_n_case("add_n_two", [2, 3], 2, 0.05, -3, 0.08, 4, 31))
    print(add_n_case("add_n_four_rank4", [1, 2, 2, 3], 4, 0.02, 10, 0.07, -20, 32))
    print(add_n_case("add_n_saturating", [8], 3, 0.1, 0, 0.05, 0, 33,
                     [[127, -128, 100, -100, 5, -5, 64, 0]] * 3))
    print(add_n_case("add_n_ties", [6], 2, 0.5, 1, 1.0, 0, 34,
                     [[0, 1, 2, 3, -1, -2], [1, 2, 2, 3, 0, -3]]))
    print("};")

    print("const ReluCase kReluCases[] = {")
    print(relu_case("relu_rescale", 0.05, -10, 0.03, -128))
    print(relu_case("relu_same_scale", 0.1, 5, 0.1, -20))
    print(relu_case("relu_upscale", 0.02, 100, 0.5, 0))
    print("};")

    print("const LeakyReluCase kLeakyReluCases[] = {")
    print(leaky_case("leaky_0_2", 0.05, -10, 0.04, 3, 0.2))
    print(leaky_case("leaky_negative_alpha", 0.05, 0, 0.05, -30, -0.5))
    print(leaky_case("leaky_alpha_above_1", 0.01, 20, 0.03, -5, 1.5))
    print("};")

    print("const HardSwishCase kHardSwishCases[] = {")
    print(hard_swish_case("hard_swish_typical", 0.05, -10, 0.03, -100))
    print(hard_swish_case("hard_swish_reluish_left_shift", 1.5, 0, 0.5, 20))
    print(hard_swish_case("hard_swish_tiny_output_ratio", 0.0001, 3, 0.5, 0))
    print(hard_swish_case("hard_swish_zp_min", 0.02, -128, 0.0009, -128))
    print(hard_swish_case("hard_swish_wide_output", 0.2, 7, 0.0234, 60))
    print("};")

    rng = Lcg(99)
    s16 = [rng.next() % 65536 - 32768 for _ in range(24)] + [-32768, 32767, 0, 1, -1]
    s8 = list(range(-128, 128, 7)) + [127]
    u8 = list(range(0, 256, 9)) + [255]
    s32 = [(rng.next() - 2**31) >> 8 for _ in range(16)] + [0, 1, -1, 2**22, -(2**22)]
    print("const RequantCase kRequantCases[] = {")
    print(requant_case("s16_to_s8", "s16", "s8", 0.0005, 0, 0.03, -4, s16))
    print(requant_case("s16_to_s16", "s16", "s16", 0.0005, 0, 0.0003, 0, s16))
    print(requant_case("s16_to_s32", "s16", "s32", 0.0005, 0, 0.00001, 0, s16))
    print(requant_case("s8_to_s8", "s8", "s8", 0.05, -10, 0.07, 20, s8))
    print(requant_case("s8_to_u8_same_scale", "s8", "u8", 0.05, -10, 0.05, 118, s8))
    print(requant_case("s8_to_s16", "s8", "s16", 0.05, 3, 0.0001, 0, s8))
    print(requant_case("s8_to_s32", "s8", "s32", 0.05, 3, 0.0001, 7, s8))
    print(requant_case("u8_to_s8", "u8", "s8", 0.02, 128, 0.03, 0, u8))
    print(requant_case("s32_to_s8", "s32", "s8", 0.00002, 0, 0.05, -3, s32))
    print(requant_case("s32_to_s16", "s32", "s16", 0.00002, 0, 0.0002, 0, s32))
    print("};")


if __name__ == "__main__":
    main()
