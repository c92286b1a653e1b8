#!/usr/bin/env python3
"""Independent reference for the softmax, log softmax, logistic, tanh, pooling and mean
kernel tests: TFLite's integer semantics written from their mathematical
definitions (exact rationals instead of bit tricks), printing the expected
outputs that tests/kernels/*_test.cc embed.

The fixed-point primitives are defined here by what they compute:
  SaturatingRoundingDoublingHighMul(a, b) = floor(a*b / 2^31 + 1/2), with
      (-2^31) * (-2^31) saturating to 2^31 - 1;
  RoundingDivideByPOT(x, e) = x / 2^e rounded to nearest, ties away from 0;
  SaturatingRoundingMultiplyByPOT(x, e) = clamp(x * 2^e) for e > 0.
The higher-level functions follow gemmlowp's fixedpoint.h algorithms (they
must, to be bit-exact), and every result is also checked against the real
function it approximates.

Usage: python3 psm_reference.py > psm_expected.h
"""
import math
from fractions import Fraction

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1


def wrap32(x):
    return ((x + 2**31) % 2**32) - 2**31


def round_half_away(q):
    """Fraction -> int, nearest, ties away from zero."""
    fl = math.floor(q)
    frac = q - fl
    if frac > Fraction(1, 2):
        return fl + 1
    if frac < Fraction(1, 2):
        return fl
    return fl + 1 if q > 0 else fl


def srdhm(a, b):
    if a == INT32_MIN and b == INT32_MIN:
        return INT32_MAX
    return math.floor(Fraction(a * b, 2**31) + Fraction(1, 2))


def rdbp(x, e):
    return round_half_away(Fraction(x, 2**e))


def mul_pot(x, e):
    if e == 0:
        return x
    if e < 0:
        return rdbp(x, -e)
    return max(INT32_MIN, min(INT32_MAX, x * 2**e))


def mbqm(x, multiplier, shift):
    """TFLite's MultiplyByQuantizedMultiplier (double rounding)."""
    left = shift if shift > 0 else 0
    right = -shift if shift < 0 else 0
    return rdbp(srdhm(wrap32(x * 2**left), multiplier), right)


def quantize_multiplier(real):
    """tflite::QuantizeMultiplier with std::round (ties away from zero)."""
    if real == 0.0:
        return 0, 0
    q, shift = math.frexp(real)
    q_fixed = round_half_away(Fraction(q) * 2**31)
    if q_fixed == 2**31:
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return q_fixed, shift


# --- gemmlowp functions on raw int32 values --------------------------------

def exp_quarter(a):
    """exp(a) for a in [-1/4, 0), Q0.31."""
    x = wrap32(a + 2**28)
    x2 = srdhm(x, x)
    x3 = srdhm(x2, x)
    x4 = srdhm(x2, x2)
    x4_4 = mul_pot(x4, -2)
    poly = mul_pot(wrap32(srdhm(wrap32(x4_4 + x3), 715827883) + x2), -1)
    return wrap32(1895147668 + srdhm(1895147668, wrap32(x + poly)))


BARREL = {-2: 1672461947, -1: 1302514674, 0: 790015084, 1: 290630308,
          2: 39332535, 3: 720401, 4: 242}


def exp_neg(a, ibits):
    fbits = 31 - ibits
    quarter = 1 << (fbits - 2)
    amq = wrap32((a & (quarter - 1)) - quarter)
    result = exp_quarter(mul_pot(amq, ibits))
    rem = wrap32(amq - a)
    for e in range(-2, 5):
        if ibits > e and rem & (1 << (fbits + e)):
            result = srdhm(result, BARREL[e])
    if ibits > 5 and a < -(1 << (36 - ibits)):
        result = 0
    if a == 0:
        result = INT32_MAX
    return result


def newton_f2(hd):
    x = wrap32(1515870810 + srdhm(hd, -1010580540))
    for _ in range(3):
        t = wrap32((1 << 29) - srdhm(hd, x))
        x = wrap32(x + mul_pot(srdhm(x, t), 2))
    return x


def half_sum(a, b):
    return round_half_away(Fraction(a + b, 2))


def one_over_one_plus_x(a):
    return mul_pot(newton_f2(half_sum(a, INT32_MAX)), 1)


def one_minus_x_over_one_plus_x(a):
    return mul_pot(wrap32(newton_f2(half_sum(a, INT32_MAX)) - (1 << 29)), 2)


def gl_logistic(a, ibits):
    absa = a if a > 0 else wrap32(-a)
    rp = one_over_one_plus_x(exp_neg(wrap32(-absa), ibits))
    if a == 0:
        return 1 << 30
    return rp if a > 0 else wrap32(INT32_MAX - rp)


def gl_tanh(a, ibits):
    n = a if a < 0 else wrap32(-a)
    t = one_minus_x_over_one_plus_x(exp_neg(n, ibits + 1))
    if a == 0:
        return 0
    return wrap32(-t) if a < 0 else t


def clz32(x):
    return 32 - x.bit_length() if x > 0 else 32


def get_reciprocal(x, ibits):
    hp1 = clz32(x)
    shifted = wrap32(((x << hp1) & 0xFFFFFFFF) - 2**31)
    return one_over_one_plus_x(shifted), ibits - hp1


def sat32(x):
    return max(INT32_MIN, min(INT32_MAX, x))


def log_x_ge_1(x, in_bits, out_bits):
    """TFLite's log_x_for_x_greater_than_or_equal_to_1: ln of x (in_bits
    integer bits) with out_bits, through gemmlowp's steps."""
    acc_bits = out_bits + 1
    log_2, sqrt_sqrt_half, sqrt_half = 1488522236, 1805811301, 1518500250
    alpha_n, alpha_d, alpha_i, alpha_f = 117049297, 127690142, 1057819769, 638450708
    shifted_quarter = mul_pot(536870912, -acc_bits)
    za_hp1 = clz32(x)
    r_a = mul_pot(srdhm(mul_pot(x, za_hp1 - 1), sqrt_half), 1)
    za_adj = sat32(mul_pot(in_bits - za_hp1, 31 - acc_bits) + shifted_quarter)
    zb_h = clz32(srdhm(x, sqrt_half)) - 1
    r_b = mul_pot(x, zb_h)
    zb_adj = sat32(mul_pot(in_bits - zb_h, 31 - acc_bits) - shifted_quarter)
    r = min(r_a, r_b)
    z_adj = max(za_adj, zb_adj)
    p = half_sum(r, sqrt_sqrt_half)
    q = wrap32(2 * wrap32(r - sqrt_sqrt_half))
    sq = srdhm(q, q)
    num = wrap32(srdhm(q, r) + srdhm(srdhm(q, sq), alpha_n))
    denom = wrap32(srdhm(p, wrap32(wrap32(alpha_i + q) + srdhm(alpha_d, sq))) + srdhm(alpha_f, q))
    total = wrap32(srdhm(z_adj, log_2) + srdhm(mul_pot(num, -acc_bits), one_over_one_plus_x(denom)))
    return mul_pot(total, acc_bits - out_bits)


# --- kernels ----------------------------------------------------------------

def f32(x):
    """Round a Python float to float32."""
    import struct
    return struct.unpack('<f', struct.pack('<f', x))[0]


def softmax_params(beta, input_scale):
    real = min(f32(beta) * f32(input_scale) * (1 << 26), (1 << 31) - 1.0)
    assert real > 1.0
    mult, shift = quantize_multiplier(real)
    radius = math.floor(31 * (1 << 26) / (1 << shift))
    return mult, shift, -radius


def softmax_s8(rows, beta, input_scale, out_bits):
    mult, shift, diff_min = softmax_params(beta, input_scale)
    out_min = -(2 ** (out_bits - 1))
    out_max = 2 ** (out_bits - 1) - 1
    result = []
    for row in rows:
        mx = max(row)
        exps = []
        for v in row:
            d = v - mx
            if d >= diff_min:
                exps.append(exp_neg(srdhm(d * 2**shift, mult), 5))
            else:
                exps.append(None)
        total = 0
        for e in exps:
            if e is not None:
                total = wrap32(total + mul_pot(e, -12))
        recip, nbou = get_reciprocal(total, 12)
        exponent = nbou + 31 - out_bits
        for e in exps:
            if e is None:
                result.append(out_min)
            else:
                y = rdbp(srdhm(recip, e), exponent) + out_min
                result.append(max(out_min, min(out_max, y)))
    return result


def log_softmax_params(input_scale):
    """PreprocessLogSoftmaxScalingExp (beta 1) and diff_min."""
    mult, shift, diff_min = softmax_params(1.0, input_scale)
    divisor, divisor_shift = quantize_multiplier((1 << (31 - shift)) / mult)
    return mult, shift, divisor, divisor_shift, diff_min


def log_softmax_s8(rows, input_scale):
    """TFLite Micro's LogSoftmaxQuantized: output scale 16/256, zero point 127."""
    mult, shift, divisor, divisor_shift, diff_min = log_softmax_params(input_scale)
    result = []
    for row in rows:
        mx = max(row)
        total = 0
        for v in row:
            if v - mx >= diff_min:
                total = wrap32(total + mul_pot(exp_neg(mbqm(v - mx, mult, shift), 5), -12))
        log_sum = log_x_ge_1(total, 12, 5)
        adjusted = max(diff_min - 1, mbqm(log_sum + INT32_MIN, divisor, divisor_shift))
        for v in row:
            if v - mx > adjusted:
                y = rdbp(mbqm(v - mx, mult, shift) - log_sum, 22) + 127
                result.append(max(-128, min(127, y)))
            else:
                result.append(-128)
    return result


def logistic_tanh_params(input_scale):
    real = f32(input_scale) * (1 << 27)
    q, shift = math.frexp(real)
    mult = round_half_away(Fraction(q) * 2**31)
    radius = math.floor(15 * (1 << 27) / (1 << shift))
    return mult, shift, radius


def logistic_s8(values, scale, zp):
    mult, shift, radius = logistic_tanh_params(scale)
    out = []
    for v in values:
        x = v - zp
        if x <= -radius:
            out.append(-128)
        elif x >= radius:
            out.append(127)
        else:
            y = rdbp(gl_logistic(mbqm(x, mult, shift), 4), 23) - 128
            out.append(max(-128, min(127, y)))
    return out


def tanh_s8(values, scale, zp):
    mult, shift, radius = logistic_tanh_params(scale)
    out = []
    for v in values:
        x = v - zp
        if x <= -radius:
            out.append(-128)
        elif x >= radius:
            out.append(127)
        else:
            y = rdbp(gl_tanh(mbqm(x, mult, shift), 4), 24)
            out.append(max(-128, min(127, y)))
    return out


def mean_requant_s8(sums, count, in_zp, out_zp, in_scale, out_scale):
    mult, shift = quantize_multiplier(f32(in_scale) / f32(out_scale))
    s = min(count.bit_length() - 1, 32, 31 + shift)
    mult = int(Fraction(mult * 2**s, count))  # C++ truncation (positive)
    shift -= s
    return [max(-128, min(127, mbqm(wrap32(t - in_zp * count), mult, shift) + out_zp))
            for t in sums], mult, shift


def trunc_div(a, b):
    """C++ integer division (toward zero), b > 0."""
    return a // b if a >= 0 else -((-a) // b)


def mean_spatial_s8(values, hw, channels, in_zp, out_zp, in_scale, out_scale):
    """reference_integer_ops::Mean, TFLite Micro's path for a 4-D input over
    axes 1 and 2 with keep_dims: values are [1, H, W, C] in NHWC order with
    hw = H * W; the zero-point-corrected sum is requantized by
    in_scale / out_scale, then divided by hw rounding half away from zero."""
    mult, shift = quantize_multiplier(f32(in_scale) / f32(out_scale))
    out = []
    for c in range(channels):
        acc = mbqm(sum(values[p * channels + c] - in_zp for p in range(hw)), mult, shift)
        acc = trunc_div(acc + hw // 2, hw) if acc > 0 else trunc_div(acc - hw // 2, hw)
        out.append(max(-128, min(127, acc + out_zp)))
    return out, mult, shift


def roundf(x):
    """std::round on a float: nearest, ties away from zero."""
    return float(round_half_away(Fraction(x)))


def lut_populate_int16(input_scale, input_zp, output_scale, output_zp, transform):
    """TFLite's LUTPopulate<int16_t> with every operation rounded to float32
    (exact emulation: double holds float products and sums exactly or
    rounds them innocuously)."""
    input_min = f32(input_scale * float(-32768 - input_zp))
    input_max = f32(input_scale * float(32767 - input_zp))
    output_min = f32(output_scale * float(-32768 - output_zp))
    output_max = f32(output_scale * float(32767 - output_zp))
    step = f32(f32(input_max - input_min) / 512.0)
    half_step = f32(step / 2)
    inv = f32(65536.0 / f32(output_max - output_min))
    lut = []
    for i in range(512):
        x_i = f32(input_min + f32(i * step))
        val = transform(x_i)
        val_mid = transform(f32(f32(input_min + f32(i * step)) + half_step))
        val_next = transform(f32(input_min + f32((i + 1) * step)))
        sample = roundf(f32(val * inv))
        interp = roundf(f32(f32(f32(val_next * inv) + roundf(f32(val * inv))) / 2))
        mid = roundf(f32(val_mid * inv))
        bias = roundf(f32(f32(interp - mid) / 2))
        lut.append(int(min(max(sample - bias, -32768.0), 32767.0)))
    lut.append(int(min(max(roundf(f32(transform(input_max) * inv)), -32768.0), 32767.0)))
    return lut


def exp_f32(x):
    return f32(math.exp(x))


def recip_f32(x):
    return f32(1.0 / f32(1.0 + x))


def softmax_luts():
    exp_lut = lut_populate_int16(f32(f32(10.0) / 65535), 32767, f32(f32(2.0) / 65535), 0, exp_f32)
    recip_lut = lut_populate_int16(f32(f32(1.0) / 65535), -32768, f32(f32(2.0) / 65535), 0,
                                   recip_f32)
    return exp_lut, recip_lut


def lut_lookup(value, lut):
    index = 256 + (value >> 7)
    offset = value & 0x7F
    slope = lut[index + 1] - lut[index]
    return lut[index] + ((slope * offset + 64) >> 7)


def softmax_s16(rows, beta, input_scale):
    exp_lut, recip_lut = softmax_luts()
    mult, shift = quantize_multiplier(f32(input_scale) * f32(beta) / (10.0 / 65535.0))
    out = []
    for row in rows:
        mx = max(row)
        exps = []
        for v in row:
            scaled = mbqm(v - mx, mult, shift)
            exps.append(lut_lookup(max(-32768, min(32767, scaled + 32767)), exp_lut))
        total = sum(exps)
        hp1 = clz32(total)
        shifted = ((total << (hp1 - 1)) + (1 << 13)) >> 14
        recip = lut_lookup(max(-32768, min(32767, shifted - ((1 << 15) + (1 << 16)))), recip_lut)
        rs = 31 - hp1
        for e in exps:
            out.append(max(0, min(32767, (e * recip + (1 << (rs - 1))) >> rs)))
    return out, (mult, shift)


# --- self checks against the real functions ---------------------------------

# TFLite's sigmoid_table_uint16: sigmoid(i / 24) in units of 2^-16 (a
# published constant; checked below to within 2 units of the function).
SIGMOID_TABLE_U16 = [
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149, 40794, 41432, 42064, 42688,
    43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369, 47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409,
    51865, 52311, 52745, 53169, 53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370, 60565, 60753, 60935, 61110,
    61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302, 62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186,
    63279, 63368, 63454, 63536, 63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786, 64816, 64845, 64873, 64900,
    64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079, 65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208,
    65221, 65234, 65246, 65258, 65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433, 65438, 65442, 65445, 65449,
    65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474, 65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491,
    65493, 65495, 65497, 65498, 65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522, 65523, 65523, 65524, 65524,
    65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528, 65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530,
    65530, 65530, 65531, 65531, 65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65534, 65535
]


def int16_lut_params(input_scale, tanh):
    """TFLite's int16 LOGISTIC/TANH Prepare: (multiplier, left shift)."""
    scale = f32(input_scale)
    log2 = math.log2(scale)
    pot = abs(log2 - round(log2)) < 1e-3
    shift = 12 + round(log2)
    if pot and (shift == 0 or (tanh and shift == 1)):
        return 0, shift
    m, shift = scale * 4096 * 3, 0
    while m <= 32767 / 2 and shift <= 30:
        shift, m = shift + 1, m * 2
    return int(m), shift


def int16_lut_input(x, mult, shift):
    if mult == 0:
        mult, shift = 3 << shift, 0
    rnd = (1 << (shift - 1)) if shift > 0 else 0
    return (x * mult + rnd) >> shift


def interpolate(ax, step_bits):
    """The table at ax / 2^step_bits, linear between entries, in units of
    2^-(16 + step_bits); saturated past the table's end."""
    i, frac = ax >> step_bits, ax & ((1 << step_bits) - 1)
    if i >= 255:
        return None
    lo, hi = SIGMOID_TABLE_U16[i], SIGMOID_TABLE_U16[i + 1]
    return (lo << step_bits) + frac * (hi - lo)


def logistic_s16(values, scale):
    return logistic_s16_rescaled(values, *int16_lut_params(scale, False))


def tanh_s16(values, scale):
    return tanh_s16_rescaled(values, *int16_lut_params(scale, True))


def logistic_s16_rescaled(values, mult, shift):
    out = []
    for v in values:
        x = int16_lut_input(v, mult, shift)
        y = interpolate(abs(x), 9)
        y = (0x7FFF << 10) if y is None else y
        # sigmoid(-x) = 1 - sigmoid(x); then units 2^-25 -> 2^-15, rounded.
        y = y + (1 << 9) if x >= 0 else (1 << 25) - y + (1 << 9) - 1
        out.append(y >> 10)
    return out


def tanh_s16_rescaled(values, mult, shift):
    out = []
    for v in values:
        x = int16_lut_input(v, mult, shift)
        y = interpolate(abs(x), 8)
        y = (0xFFFF << 8) if y is None else y
        # tanh(x) = 2 sigmoid(2x) - 1 in units of 2^-23, odd in x.
        y = y - (1 << 23) + (1 << 7) if x >= 0 else -y + (1 << 23) + (1 << 7) - 1
        out.append(y >> 8)
    return out


def self_check():
    for i, v in enumerate(SIGMOID_TABLE_U16):
        assert abs(v - 65536 / (1 + math.exp(-i / 24))) < 2, (i, v)
    for raw in range(-(1 << 31), 1, 1 << 22):
        x = raw / 2**26
        got = exp_neg(raw, 5) / 2**31
        assert abs(got - math.exp(x)) < 2e-6, (raw, got, math.exp(x))
    for raw in range(-(1 << 31), 1 << 31, 1 << 23):
        x = raw / 2**27
        assert abs(gl_logistic(raw, 4) / 2**31 - 1 / (1 + math.exp(-x))) < 2e-6
        assert abs(gl_tanh(raw, 4) / 2**31 - math.tanh(x)) < 4e-6
    for raw in range(0, 1 << 31, 1 << 24):
        assert abs(one_over_one_plus_x(raw) / 2**31 - 1 / (1 + raw / 2**31)) < 2e-7


# --- output -----------------------------------------------------------------

def lcg_bytes(seed, n, lo=-128, hi=127):
    out = []
    s = seed
    for _ in range(n):
        s = (s * 1103515245 + 12345) % 2**31
        out.append(lo + (s >> 8) % (hi - lo + 1))
    return out


def emit(name, comment, values):
    lines = [f"// {comment}", f"inline constexpr int32_t {name}[] = {{"]
    row = []
    for v in values:
        row.append(str(v))
        if len(row) == 16:
            lines.append("    " + ", ".join(row) + ",")
            row = []
    if row:
        lines.append("    " + ", ".join(row) + ",")
    lines.append("};")
    print("\n".join(lines) + "\n")


def main():
    self_check()
    print("// Generated by tests/kernels/psm_reference.py; do not edit.")
    print("// Expected outputs of TFLite's integer softmax, logistic, tanh and mean")
    print("// semantics, computed independently of Kiln's C kernels.")
    print("#pragma once\n\n#include <cstdint>\n\nnamespace kiln::test::psm_expected {\n")
    # Softmax: TFLM's 2D test rows quantized at scale 0.1.
    rows_2d = [[10, 20, 30, 40, 50], [-10, -20, -30, -40, -50]]
    emit("kSoftmax2dInput", "2 rows of 5 (TFLM's softmax test data at scale 0.1)",
         [v for r in rows_2d for v in r])
    emit("kSoftmax2dS8", "int8 output, input scale 0.1, beta 1", softmax_s8(rows_2d, 1.0, 0.1, 8))
    emit("kSoftmax2dS16", "int16 output, input scale 0.1, beta 1",
         softmax_s8(rows_2d, 1.0, 0.1, 16))
    rnd = lcg_bytes(7, 3 * 11)
    rows = [rnd[i * 11:(i + 1) * 11] for i in range(3)]
    emit("kSoftmaxRandomInput", "3 rows of 11 pseudo-random int8 values", rnd)
    emit("kSoftmaxRandomS8Beta07", "int8 output, input scale 0.0390625, beta 0.7",
         softmax_s8(rows, 0.7, 0.0390625, 8))
    emit("kSoftmaxRandomS16Beta07", "int16 output, input scale 0.0390625, beta 0.7",
         softmax_s8(rows, 0.7, 0.0390625, 16))
    emit("kSoftmaxRandomS8Scale05", "int8 output, input scale 0.5, beta 1 (diff_min -31)",
         softmax_s8(rows, 1.0, 0.5, 8))
    emit("kSoftmaxRandomS8Beta2", "int8 output, input scale 0.02, beta 2",
         softmax_s8(rows, 2.0, 0.02, 8))
    emit("kSoftmaxParamsScale05", "multiplier, left shift, diff_min for scale 0.5, beta 1",
         softmax_params(1.0, 0.5))
    emit("kSoftmaxParamsBeta07", "multiplier, left shift, diff_min for scale 0.0390625, beta 0.7",
         softmax_params(0.7, 0.0390625))
    emit("kSoftmaxEqual300S8", "int8 output for 300 equal inputs (1/300 each)",
         softmax_s8([[3] * 300], 1.0, 0.1, 8)[:1])

    # LOG_SOFTMAX int8: TFLM's test rows at scale 20/255 (its [-10, 10]
    # range, zero point 0), and pseudo-random rows at two scales.
    tflm_rows = [[0, -77, 26, 51], [38, -26, 127, 13]]
    emit("kLogSoftmaxTflmS8", "TFLM's 2x4 case quantized at scale 20/255",
         log_softmax_s8(tflm_rows, 20 / 255))
    emit("kLogSoftmaxRandomS8Scale01", "log softmax of the random rows, input scale 0.1",
         log_softmax_s8(rows, 0.1))
    emit("kLogSoftmaxRandomS8Scale05", "log softmax of the random rows, input scale 0.5",
         log_softmax_s8(rows, 0.5))
    emit("kLogSoftmaxParamsScale05", "multiplier, left shift, divisor, its shift, diff_min, scale 0.5",
         log_softmax_params(0.5))
    wide = lcg_bytes(9, 300)
    emit("kLogSoftmaxWideInput", "1 row of 300 pseudo-random int8 values", wide)
    emit("kLogSoftmaxWideScale002", "its log softmax at input scale 0.02", log_softmax_s8([wide], 0.02))
    # Sanity: within 0.07 (a step is 1/16) of the real function where not
    # clipped at the lowest value.
    for scale, rs in [(0.1, rows), (0.5, rows), (0.02, [wide]), (20 / 255, tflm_rows)]:
        got = log_softmax_s8(rs, scale)
        k = 0
        for r in rs:
            xs = [f32(scale) * v for v in r]
            lse = max(xs) + math.log(sum(math.exp(x - max(xs)) for x in xs))
            for x in xs:
                want = x - lse
                if want > -15.9:
                    assert abs((got[k] - 127) / 16 - want) < 0.07, (scale, x, got[k], want)
                k += 1
    for raw in range(1 << 19, 1 << 31, 1 << 22):
        assert abs(log_x_ge_1(raw, 12, 5) / 2**26 - math.log(raw / 2**19)) < 1e-6, raw

    all_values = list(range(-128, 128))
    for tag, scale, zp in [("Scale0625", 0.0625, 0), ("Scale01", 0.1, -10),
                           ("Scale05", 0.5, 3)]:
        emit(f"kLogistic{tag}", f"logistic of int8 -128..127, scale {scale}, zero point {zp}",
             logistic_s8(all_values, scale, zp))
        emit(f"kTanh{tag}", f"tanh of int8 -128..127, scale {scale}, zero point {zp}",
             tanh_s8(all_values, scale, zp))
        emit(f"kLogisticTanhParams{tag}",
             f"input multiplier, left shift, range radius for scale {scale}",
             logistic_tanh_params(scale))
    # Sanity: within one step of the real functions.
    for scale, zp in [(0.0625, 0), (0.1, -10)]:
        for v, y in zip(all_values, logistic_s8(all_values, f32(scale), zp)):
            x = f32(scale) * (v - zp)
            assert abs(y - (256 / (1 + math.exp(-x)) - 128)) <= 1.0, (v, y)
        for v, y in zip(all_values, tanh_s8(all_values, f32(scale), zp)):
            x = f32(scale) * (v - zp)
            assert abs(y - min(127, 128 * math.tanh(x))) <= 1.0, (v, y)

    # int16 softmax: the tables and two cases.
    exp_lut, recip_lut = softmax_luts()
    for i, v in enumerate(exp_lut):
        assert abs(v / 32768 - math.exp(-10 + i * 10 / 512)) < 2e-4 or i == 512
    emit("kSoftmaxExpLutInt16", "exp(x) on [-10, 0], 513 entries (LUTPopulate<int16_t>)",
         exp_lut)
    emit("kSoftmaxRecipLutInt16", "1/(1+x) on [0, 1], 513 entries", recip_lut)
    rows16 = [[0, -1000, 3000, 3000, -32768, 32767, 100, 2],
              [-5, -5, -5, -5, -5, -5, -5, -5]]
    emit("kSoftmaxS16Input", "2 rows of 8 int16 values", [v for r in rows16 for v in r])
    out16, params16 = softmax_s16(rows16, 1.0, 1.0 / 4096)
    emit("kSoftmaxS16Scale4096", "int16 softmax, input scale 1/4096, beta 1", out16)
    emit("kSoftmaxS16ParamsScale4096", "input multiplier and shift", params16)
    out16b, params16b = softmax_s16(rows16, 0.6, 3.0e-4)
    emit("kSoftmaxS16Scale3e4Beta06", "int16 softmax, input scale 3e-4, beta 0.6", out16b)
    emit("kSoftmaxS16ParamsScale3e4Beta06", "input multiplier and shift", params16b)
    # Sanity: within 2e-3 of the real softmax.
    row = [v / 4096 for v in rows16[0]]
    denom = sum(math.exp(v - max(row)) for v in row)
    for o, v in zip(out16[:8], row):
        assert abs(o / 32768 - math.exp(v - max(row)) / denom) < 2e-3, (o, v)

    # Mean requantization: sums over 6 elements, zp -5 -> zp 7, scale 0.2 -> 0.15.
    sums = [-768, -500, -31, -30, -29, 0, 29, 30, 31, 500, 762]
    vals, mult, shift = mean_requant_s8(sums, 6, -5, 7, 0.2, 0.15)
    emit("kMeanRequantSums", "int32 sums of 6 int8 values", sums)
    emit("kMeanRequantOutputs", "means requantized from (0.2, -5) to (0.15, 7)", vals)
    emit("kMeanRequantParams", "folded multiplier and shift", [mult, shift])
    # The global average pool of a PyTorch-converted MobileNetV2 (scale
    # 0.070548 and zero point -9 in and out) on 7x7x16 pseudo-random values:
    # the rounded spatial path, where the truncating one is off by one.
    pool_in = lcg_bytes(11, 49 * 16)
    pool_out, mult, shift = mean_spatial_s8(pool_in, 49, 16, -9, -9, 0.070548, 0.070548)
    truncated = [trunc_div(sum(pool_in[p * 16 + c] for p in range(49)), 49) for c in range(16)]
    assert sum(a != b for a, b in zip(pool_out, truncated)) >= 4, (pool_out, truncated)
    emit("kMeanSpatialInput", "[1,7,7,16] pseudo-random int8 values", pool_in)
    emit("kMeanSpatialOutput", "mean over axes (1, 2), keep_dims, scale 0.070548, zp -9 in and out",
         pool_out)
    emit("kMeanSpatialParams", "its multiplier and shift", [mult, shift])
    # The same path with different quantization: [1,3,5,6], (0.05, 3) -> (0.02, -4).
    requant_in = lcg_bytes(12, 15 * 6)
    requant_out, mult, shift = mean_spatial_s8(requant_in, 15, 6, 3, -4, 0.05, 0.02)
    emit("kMeanSpatialRequantInput", "[1,3,5,6] pseudo-random int8 values", requant_in)
    emit("kMeanSpatialRequantOutput", "mean over axes (2, 1), keep_dims, (0.05, 3) -> (0.02, -4)",
         requant_out)
    emit("kMeanSpatialRequantParams", "its multiplier and shift", [mult, shift])
    # int16 LOGISTIC and TANH: a sample of int16 inputs at power-of-two and
    # other scales, each within 0.2% of the real function.
    int16_values = list(range(-32768, 32768, 1021)) + [-1, 0, 1, 32767]
    emit("kInt16LutInput", "int16 inputs for LOGISTIC and TANH", int16_values)
    for tag, scale in [("Pot12", 2.0**-12), ("Pot11", 2.0**-11), ("Scale0001", 0.001), ("Scale3e5", 3.0518044e-5)]:
        lg, th = logistic_s16(int16_values, scale), tanh_s16(int16_values, scale)
        for v, a, b in zip(int16_values, lg, th):
            x = f32(scale) * v
            assert abs(a / 32768 - 1 / (1 + math.exp(-x))) < 2e-3, (tag, v, a)
            assert abs(b / 32768 - math.tanh(x)) < 2e-3, (tag, v, b)
        emit(f"kLogisticS16{tag}", f"logistic, input scale {scale}", lg)
        emit(f"kTanhS16{tag}", f"tanh, input scale {scale}", th)
        emit(f"kLutParamsS16{tag}", "logistic's and tanh's multiplier and left shift",
             list(int16_lut_params(scale, False)) + list(int16_lut_params(scale, True)))
    print("}  // namespace kiln::test::psm_expected")


if __name__ == "__main__":
    main()
