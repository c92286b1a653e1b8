#!/usr/bin/env python3
"""Golden outputs for tests/kernels/conv_test.cc and fully_connected_test.cc.

An independent model of TFLite's reference kernels (reference_integer_ops::
ConvPerChannel, DepthwiseConvPerChannel, FullyConnected[PerChannel] and the
float reference_ops), its padding rule (ComputePaddingHeightWidth), its
multiplier encoding (QuantizeMultiplier) and its fixed-point rounding
(gemmlowp SaturatingRoundingDoublingHighMul + RoundingDivideByPOT). Written
from those definitions, not from Kiln's C. Inputs come from the same LCG the
C++ tests use. Run: python3 conv_golden.py > conv_golden.inc
"""
import math
import struct


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


class Lcg:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF

    def next(self):
        self.s = (self.s * 1664525 + 1013904223) & 0xFFFFFFFF
        return self.s

    def i8(self):
        return (self.next() >> 24) - 128

    def bias(self):
        return (self.next() >> 16) % 4001 - 2000

    def f(self):
        return f32((self.next() >> 8) / 16777216.0 * 2.0 - 1.0)


def round_away(x):
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def quantize_multiplier(real):
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


def wrap32(x):
    x &= 0xFFFFFFFF
    return x - 2**32 if x >= 2**31 else x


def srdhm(a, b):
    if a == b == -2**31:
        return 2**31 - 1
    ab = a * b
    v = ab + (2**30 if ab >= 0 else 1 - 2**30)
    q = abs(v) // 2**31  # C division truncates toward zero
    return q if v >= 0 else -q


def rdbp(x, e):
    mask = (1 << e) - 1
    rem = x & mask
    thr = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if rem > thr else 0)


def mbqm(x, m, s):
    return rdbp(srdhm(wrap32(x << max(s, 0)), m), max(-s, 0))


def act_range_q(act, scale, zp):
    q = lambda f: zp + int(round_away(f32(f / scale)))
    lo, hi = -128, 127
    if act == "RELU":
        return max(lo, q(0.0)), hi
    if act == "RELU6":
        return max(lo, q(0.0)), min(hi, q(6.0))
    if act == "RELU_N1_TO_1":
        return max(lo, q(-1.0)), min(hi, q(1.0))
    return lo, hi


def act_range_f(act):
    big = 3.4028234663852886e38
    return {"RELU": (0.0, big), "RELU6": (0.0, 6.0), "RELU_N1_TO_1": (-1.0, 1.0)}.get(act, (-big, big))


def window(padding, size, k, stride, dil):
    eff = (k - 1) * dil + 1
    out = (size + stride - 1) // stride if padding == "SAME" else (size + stride - eff) // stride
    total = max(0, (out - 1) * stride + eff - size)
    return out, total // 2


def conv(case, quant):
    (name, dw, n, h, w, c, kh, kw, fc, oc, pad, sh, sw, dh, dwl, act, in_s, in_zp, f_s, out_s,
     out_zp, has_bias, seed) = case
    in_s, out_s, f_s = f32(in_s), f32(out_s), [f32(v) for v in f_s]
    g = Lcg(seed)
    fsize = kh * kw * oc if dw else oc * kh * kw * fc
    gen = g.i8 if quant else g.f
    inp = [gen() for _ in range(n * h * w * c)]
    flt = [gen() for _ in range(fsize)]
    bias = [(g.bias() if quant else g.f()) for _ in range(oc)] if has_bias else None
    oh, pad_h = window(pad, h, kh, sh, dh)
    ow, pad_w = window(pad, w, kw, sw, dwl)
    if quant:
        mults = [quantize_multiplier(in_s * (f_s[i] if len(f_s) > 1 else f_s[0]) / out_s)
                 for i in range(oc)]
        lo, hi = act_range_q(act, out_s, out_zp)
    else:
        lo, hi = act_range_f(act)
    groups = 1 if dw else c // fc
    per_group = oc // groups
    mult_m = oc // c
    out = []
    for b in range(n):
        for oy in range(oh):
            for ox in range(ow):
                for o in range(oc):
                    acc = 0
                    for ky in range(kh):
                        for kx in range(kw):
                            iy, ix = oy * sh - pad_h + dh * ky, ox * sw - pad_w + dwl * kx
                            if not (0 <= iy < h and 0 <= ix < w):
                                continue
                            base = ((b * h + iy) * w + ix) * c
                            if dw:
                                pairs = [(inp[base + o // mult_m], flt[(ky * kw + kx) * oc + o])]
                            else:
                                gbase = (o // per_group) * fc
                                pairs = [(inp[base + gbase + i], flt[((o * kh + ky) * kw + kx) * fc + i])
                                         for i in range(fc)]
                            for x, f in pairs:
                                acc += f * (x - in_zp) if quant else x * f
                    if quant:
                        if bias:
                            acc += bias[o]
                        v = mbqm(acc, *mults[o]) + out_zp
                        out.append(min(max(v, lo), hi))
                    else:
                        v = acc + (bias[o] if bias else 0.0)
                        out.append(min(max(v, lo), hi))
    return out


def fc(case, quant):
    (name, in_shape, o_depth, k, keep, act, in_s, in_zp, w_s, w_zp, out_s, out_zp, has_bias,
     seed) = case
    in_s, out_s, w_s = f32(in_s), f32(out_s), [f32(v) for v in w_s]
    g = Lcg(seed)
    gen = g.i8 if quant else g.f
    count = 1
    for d in in_shape:
        count *= d
    inp = [gen() for _ in range(count)]
    wts = [gen() for _ in range(o_depth * k)]
    bias = [(g.bias() if quant else g.f()) for _ in range(o_depth)] if has_bias else None
    batches = count // k
    if quant:
        if len(w_s) > 1:
            mults = [quantize_multiplier(in_s * w_s[i] / out_s) for i in range(o_depth)]
            w_off = 0
        else:
            # Per-tensor: TFLite multiplies the two scales in float first.
            mults = [quantize_multiplier(f32(in_s * w_s[0]) / out_s)] * o_depth
            w_off = -w_zp
        lo, hi = act_range_q(act, out_s, out_zp)
    else:
        lo, hi = act_range_f(act)
    out = []
    for b in range(batches):
        for o in range(o_depth):
            if quant:
                acc = sum((wts[o * k + d] + w_off) * (inp[b * k + d] - in_zp) for d in range(k))
                if bias:
                    acc += bias[o]
                out.append(min(max(mbqm(acc, *mults[o]) + out_zp, lo), hi))
            else:
                acc = sum(inp[b * k + d] * wts[o * k + d] for d in range(k))
                out.append(min(max(acc + (bias[o] if bias else 0.0), lo), hi))
    return out


# name, depthwise, N,H,W,C, KH,KW,filter_c, out_c, padding, stride h/w, dilation h/w,
# activation, input scale, input zp, filter scales, output scale, output zp, bias, seed
CONV_CASES = [
    ("same_3x3_relu6_per_channel", False, 1, 5, 5, 3, 3, 3, 3, 4, "SAME", 1, 1, 1, 1, "RELU6",
     0.05, -5, [0.002, 0.0011, 0.0007, 0.003], 0.04, 3, True, 1),
    ("same_odd_padding_stride2", False, 1, 5, 7, 2, 4, 2, 2, 3, "SAME", 2, 2, 1, 1, "NONE",
     0.1, 7, [0.002, 0.004, 0.003], 0.2, -10, True, 2),
    ("valid_dilation2_per_tensor_no_bias", False, 1, 7, 6, 2, 3, 2, 2, 2, "VALID", 1, 1, 2, 2,
     "NONE", 0.02, -128, [0.004], 0.05, 0, False, 3),
    ("grouped_two_groups", False, 1, 4, 4, 4, 3, 3, 2, 4, "SAME", 1, 1, 1, 1, "RELU",
     0.03, 2, [0.01, 0.02, 0.03, 0.04], 0.06, -20, True, 4),
    ("batch2_mixed_stride_dilation", False, 2, 6, 5, 3, 2, 3, 3, 2, "SAME", 2, 1, 1, 2, "RELU",
     0.05, 0, [0.001, 0.0012], 0.03, -128, True, 5),
    ("relu_n1_to_1", False, 1, 3, 3, 2, 1, 1, 2, 3, "VALID", 1, 1, 1, 1, "RELU_N1_TO_1",
     0.02, 1, [0.05, 0.01, 0.02], 0.01, 0, True, 6),
    ("large_scale_left_shift_saturates", False, 1, 3, 3, 1, 2, 2, 1, 2, "SAME", 1, 1, 1, 1,
     "NONE", 0.5, 0, [0.5, 0.25], 0.05, 0, True, 7),
    ("dw_m1_same_relu6", True, 1, 5, 5, 2, 3, 3, 1, 2, "SAME", 1, 1, 1, 1, "RELU6",
     0.05, -3, [0.001, 0.0005], 0.04, -128, True, 11),
    ("dw_m8_one_channel_stride2", True, 1, 7, 6, 1, 4, 3, 1, 8, "SAME", 2, 2, 1, 1, "RELU",
     0.1, -128, [0.001, 0.002, 0.0015, 0.0005, 0.003, 0.0008, 0.0012, 0.002], 0.08, -128, True, 12),
    ("dw_m2_valid_dilation_per_tensor", True, 2, 6, 6, 3, 2, 2, 1, 6, "VALID", 1, 1, 2, 2,
     "NONE", 0.03, 5, [0.004], 0.05, 2, False, 13),
    ("dw_stride_1x2_odd_pad", True, 1, 5, 8, 2, 4, 3, 1, 4, "SAME", 1, 2, 1, 1, "NONE",
     0.04, 0, [0.0005, 0.001, 0.0015, 0.002], 0.02, 1, True, 14),
]

FLOAT_CONV_CASES = [
    ("f_same_relu6", False, 1, 5, 5, 3, 3, 3, 3, 4, "SAME", 1, 1, 1, 1, "RELU6",
     0, 0, [0], 0, 0, True, 21),
    ("f_grouped_valid_dilated", False, 2, 6, 6, 4, 2, 2, 2, 2, "VALID", 1, 2, 2, 1, "NONE",
     0, 0, [0], 0, 0, False, 22),
    ("f_dw_m3_stride2", True, 1, 6, 5, 2, 3, 3, 1, 6, "SAME", 2, 2, 1, 1, "RELU_N1_TO_1",
     0, 0, [0], 0, 0, True, 23),
]

# name, input shape, O, K, keep_num_dims, activation, input scale, input zp,
# weights scales, weights zp, output scale, output zp, bias, seed
FC_CASES = [
    ("per_tensor_relu_bias", [2, 5], 3, 5, 0, "RELU", 0.05, -4, [0.004], 0, 0.1, -128, True, 31),
    ("four_d_input_flattened", [1, 2, 2, 3], 4, 6, 0, "NONE", 0.02, 3, [0.004], 0, 0.03, 5, True, 32),
    ("keep_num_dims_per_channel", [2, 3, 4], 5, 4, 1, "RELU6", 0.1, -128,
     [0.001, 0.002, 0.0005, 0.003, 0.0015], 0, 0.05, -128, True, 33),
    ("per_tensor_no_bias", [1, 8], 2, 8, 0, "NONE", 0.1, 0, [0.002], 0, 0.07, 0, False, 34),
    ("per_tensor_weights_zero_point", [3, 4], 2, 4, 0, "NONE", 0.05, 1, [0.003], -3, 0.04, 2,
     True, 35),
]

FLOAT_FC_CASES = [
    ("f_fc_relu", [3, 7], 4, 7, 0, "RELU", 0, 0, [0], 0, 0, 0, True, 41),
    ("f_fc_keep_dims_no_bias", [2, 2, 3], 2, 3, 1, "NONE", 0, 0, [0], 0, 0, 0, False, 42),
]


def fmt_list(values, f):
    return "{" + ", ".join(f(v) for v in values) + "}"


def ffloat(v):
    return repr(f32(v)) + "f"


def emit():
    print("// Generated by tests/kernels/conv_golden.py: expected outputs from an independent model")
    print("// of TFLite's reference kernels. Do not edit; rerun the script.")
    print("// clang-format off")
    print("inline const std::vector<ConvCase> kConvCases = {")
    for case in CONV_CASES + FLOAT_CONV_CASES:
        quant = case in CONV_CASES
        out = conv(case, quant)
        (name, dw, n, h, w, c, kh, kw, fc_, oc, pad, sh, sw, dh, dwl, act, in_s, in_zp, f_s,
         out_s, out_zp, has_bias, seed) = case
        fields = [f'"{name}"', "true" if quant else "false", "true" if dw else "false",
                  f"{n}, {h}, {w}, {c}, {kh}, {kw}, {fc_}, {oc}", f'"{pad}"',
                  f"{sh}, {sw}, {dh}, {dwl}", f'"{act}"', ffloat(in_s), str(in_zp),
                  fmt_list(f_s, ffloat), ffloat(out_s), str(out_zp),
                  "true" if has_bias else "false", f"{seed}u",
                  fmt_list(out, str) if quant else "{}",
                  "{}" if quant else fmt_list(out, lambda v: repr(v))]
        print("    {" + ", ".join(fields) + "},")
    print("};")
    print("inline const std::vector<FcCase> kFcCases = {")
    for case in FC_CASES + FLOAT_FC_CASES:
        quant = case in FC_CASES
        out = fc(case, quant)
        (name, in_shape, o_depth, k, keep, act, in_s, in_zp, w_s, w_zp, out_s, out_zp, has_bias,
         seed) = case
        fields = [f'"{name}"', "true" if quant else "false", fmt_list(in_shape, str),
                  f"{o_depth}, {k}, {keep}", f'"{act}"', ffloat(in_s), str(in_zp),
                  fmt_list(w_s, ffloat), str(w_zp), ffloat(out_s), str(out_zp),
                  "true" if has_bias else "false", f"{seed}u",
                  fmt_list(out, str) if quant else "{}",
                  "{}" if quant else fmt_list(out, lambda v: repr(v))]
        print("    {" + ", ".join(fields) + "},")
    print("};")
    print("// clang-format on")


def stats():
    for case in CONV_CASES:
        out = conv(case, True)
        print(case[0], len(out), "saturated", sum(v in (-128, 127) for v in out), "min", min(out), "max", max(out))
    for case in FC_CASES:
        out = fc(case, True)
        print(case[0], len(out), "saturated", sum(v in (-128, 127) for v in out), "min", min(out), "max", max(out))


if __name__ == "__main__":
    import sys
    stats() if "--stats" in sys.argv else emit()
