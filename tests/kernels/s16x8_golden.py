#!/usr/bin/env python3
"""Golden outputs for tests/kernels/s16x8_test.cc: TFLite's 16x8 kernels
(int16 activations, int8 weights, zero points 0).

An independent model of reference_integer_ops::ConvPerChannel,
DepthwiseConvPerChannel, FullyConnected and FullyConnectedPerChannel for
int16, and of how TensorFlow Lite Micro's conv.cc and fully_connected.cc
pick the accumulator: an int64 bias accumulates in int64 and requantizes
with the 64-bit MultiplyByQuantizedMultiplier (the multiplier rounded to 16
bits, one rounding shift by 15 - shift); an int32 bias, or none, in int32
(wrapping) with the 32-bit one (gemmlowp's two roundings). The depthwise
kernel always takes the 64-bit path. Geometry, multipliers and the 32-bit
requantization come from conv_golden.py. Written from those definitions,
not from Kiln's C. Run: python3 s16x8_golden.py > s16x8_golden.inc
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conv_golden import Lcg, f32, mbqm, quantize_multiplier, round_away, window, wrap32  # noqa: E402


def i16(g):
    return (g.next() >> 16) - 32768


def bias_value(g):
    return (g.next() >> 8) % 2000001 - 1000000


def mbqm64(x, m, s):
    """MultiplyByQuantizedMultiplier(int64_t x, ...); Python's >> floors, as
    C's arithmetic shift of an int64 does."""
    reduced = (m + (1 << 15)) >> 16 if m < 0x7FFF0000 else 0x7FFF
    total = 15 - s
    return wrap32((x * reduced + (1 << (total - 1))) >> total)


def act_range16(act, scale):
    q = lambda v: int(round_away(f32(v / scale)))
    lo, hi = -32768, 32767
    if act == "RELU":
        return max(lo, q(0.0)), hi
    if act == "RELU6":
        return max(lo, q(0.0)), min(hi, q(6.0))
    if act == "RELU_N1_TO_1":
        return max(lo, q(-1.0)), min(hi, q(1.0))
    return lo, hi


def finish(acc, bias, wide, m, s, lo, hi):
    """One output from the exact sum of its products."""
    if wide:
        v = mbqm64(acc + (bias or 0), m, s)
    else:
        v = mbqm(wrap32(acc + (bias or 0)), m, s)
    return min(max(v, lo), hi)


def conv(case, wide_override=None):
    (name, dw, n, h, w, c, kh, kw, fc, oc, pad, sh, sw, dh, dwl, act, in_s, f_s, out_s, bias_kind,
     seed) = case
    in_s, out_s, f_s = f32(in_s), f32(out_s), [f32(v) for v in f_s]
    g = Lcg(seed)
    inp = [i16(g) for _ in range(n * h * w * c)]
    flt = [g.i8() for _ in range(kh * kw * oc if dw else oc * kh * kw * fc)]
    bias = [bias_value(g) for _ in range(oc)] if bias_kind else None
    wide = dw or bias_kind == "int64"
    if wide_override is not None:
        wide = wide_override
    oh, pad_h = window(pad, h, kh, sh, dh)
    ow, pad_w = window(pad, w, kw, sw, dwl)
    mults = [quantize_multiplier(in_s * (f_s[i] if len(f_s) > 1 else f_s[0]) / out_s) for i in range(oc)]
    lo, hi = act_range16(act, out_s)
    per_group = oc // (1 if dw else c // fc)
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
                                acc += inp[base + o // mult_m] * flt[(ky * kw + kx) * oc + o]
                            else:
                                gbase = (o // per_group) * fc
                                acc += sum(inp[base + gbase + i] * flt[((o * kh + ky) * kw + kx) * fc + i]
                                           for i in range(fc))
                    out.append(finish(acc, bias[o] if bias else None, wide, *mults[o], lo, hi))
    return out


def fc(case, wide_override=None):
    (name, in_shape, o_depth, k, act, in_s, w_s, w_zp, out_s, bias_kind, seed) = case
    in_s, out_s, w_s = f32(in_s), f32(out_s), [f32(v) for v in w_s]
    g = Lcg(seed)
    count = 1
    for d in in_shape:
        count *= d
    inp = [i16(g) for _ in range(count)]
    wts = [g.i8() for _ in range(o_depth * k)]
    bias = [bias_value(g) for _ in range(o_depth)] if bias_kind else None
    wide = bias_kind == "int64" if wide_override is None else wide_override
    if len(w_s) > 1:
        mults = [quantize_multiplier(in_s * w_s[i] / out_s) for i in range(o_depth)]
        w_off = 0
    else:
        # Per-tensor: TFLite multiplies the two scales in float first.
        mults = [quantize_multiplier(f32(in_s * w_s[0]) / out_s)] * o_depth
        w_off = -w_zp
    lo, hi = act_range16(act, out_s)
    out = []
    for b in range(count // k):
        for o in range(o_depth):
            acc = sum((wts[o * k + d] + w_off) * inp[b * k + d] for d in range(k))
            out.append(finish(acc, bias[o] if bias else None, wide, *mults[o], lo, hi))
    return out


# name, depthwise, N,H,W,C, KH,KW,filter_c, out_c, padding, stride h/w, dilation h/w,
# activation, input scale, filter scales, output scale, bias (None, "int32", "int64"), seed
CONV_CASES = [
    ("conv_bias64_same_relu", False, 1, 5, 5, 3, 3, 3, 3, 4, "SAME", 1, 1, 1, 1, "RELU",
     0.0005, [0.004, 0.002, 0.0011, 0.003], 0.0008, "int64", 101),
    ("conv_bias32_grouped_stride2", False, 1, 6, 5, 4, 3, 2, 2, 4, "SAME", 2, 2, 1, 1, "NONE",
     0.0004, [0.003, 0.0025, 0.002, 0.001], 0.0007, "int32", 102),
    ("conv_no_bias_dilated_relu6", False, 2, 6, 6, 2, 2, 2, 2, 3, "VALID", 1, 1, 2, 2, "RELU6",
     0.0002, [0.002, 0.004, 0.001], 0.0005, None, 103),
    ("dw_m2_bias64_relu_n1_to_1", True, 1, 5, 6, 2, 3, 3, 1, 4, "SAME", 1, 1, 1, 1, "RELU_N1_TO_1",
     0.0001, [0.003, 0.002, 0.004, 0.001], 0.00004, "int64", 104),
    ("dw_no_bias_stride2", True, 1, 7, 7, 3, 3, 3, 1, 3, "SAME", 2, 2, 1, 1, "NONE",
     0.0003, [0.002, 0.005, 0.0035], 0.0006, None, 105),
]

# name, input shape, O, K, activation, input scale, weights scales, weights zp,
# output scale, bias, seed
FC_CASES = [
    ("fc_per_channel_bias64", [2, 12], 5, 12, "RELU", 0.0005, [0.003, 0.002, 0.004, 0.001, 0.0025],
     0, 0.001, "int64", 111),
    ("fc_per_tensor_bias32_weights_zp", [3, 8], 4, 8, "NONE", 0.0004, [0.002], 3, 0.0009, "int32", 112),
    ("fc_no_bias_keep_rows", [1, 2, 10], 3, 10, "RELU6", 0.0003, [0.004, 0.002, 0.003], 0, 0.0004,
     None, 113),
]


def fmt_list(values, f=str):
    return "{" + ", ".join(f(v) for v in values) + "}"


def ffloat(v):
    return repr(f32(v)) + "f"


def check_paths_differ():
    """The accumulator choice must matter on the cases that test it: the
    64-bit path differs from the 32-bit one somewhere (or the test proves
    nothing)."""
    for case in CONV_CASES:
        if case[19] == "int64":
            assert conv(case) != conv(case, wide_override=False), case[0]
    for case in FC_CASES:
        if case[9] == "int64":
            assert fc(case) != fc(case, wide_override=False), case[0]


def emit():
    check_paths_differ()
    print("// Generated by tests/kernels/s16x8_golden.py: expected outputs from an independent model")
    print("// of TFLite's 16x8 reference kernels. Do not edit; rerun the script.")
    print("// clang-format off")
    print("inline const std::vector<S16x8ConvCase> kS16x8ConvCases = {")
    for case in CONV_CASES:
        (name, dw, n, h, w, c, kh, kw, fc_, oc, pad, sh, sw, dh, dwl, act, in_s, f_s, out_s, bias_kind,
         seed) = case
        fields = [f'"{name}"', "true" if dw else "false", f"{n}, {h}, {w}, {c}, {kh}, {kw}, {fc_}, {oc}",
                  f'"{pad}"', f"{sh}, {sw}, {dh}, {dwl}", f'"{act}"', ffloat(in_s), fmt_list(f_s, ffloat),
                  ffloat(out_s), f'"{bias_kind or ""}"', f"{seed}u", fmt_list(conv(case))]
        print("    {" + ", ".join(fields) + "},")
    print("};")
    print("inline const std::vector<S16x8FcCase> kS16x8FcCases = {")
    for case in FC_CASES:
        (name, in_shape, o_depth, k, act, in_s, w_s, w_zp, out_s, bias_kind, seed) = case
        fields = [f'"{name}"', fmt_list(in_shape), f"{o_depth}, {k}", f'"{act}"', ffloat(in_s),
                  fmt_list(w_s, ffloat), str(w_zp), ffloat(out_s), f'"{bias_kind or ""}"', f"{seed}u",
                  fmt_list(fc(case))]
        print("    {" + ", ".join(fields) + "},")
    print("};")
    print("// clang-format on")


def stats():
    for case in CONV_CASES:
        out = conv(case)
        alt = conv(case, wide_override=not (case[1] or case[19] == "int64"))
        print(case[0], len(out), "clamped", sum(v in (-32768, 32767) for v in out), "min", min(out),
              "max", max(out), "differ from the other accumulator", sum(a != b for a, b in zip(out, alt)))
    for case in FC_CASES:
        out = fc(case)
        alt = fc(case, wide_override=case[9] != "int64")
        print(case[0], len(out), "min", min(out), "max", max(out), "differ from the other accumulator",
              sum(a != b for a, b in zip(out, alt)))


if __name__ == "__main__":
    stats() if "--stats" in sys.argv else emit()
