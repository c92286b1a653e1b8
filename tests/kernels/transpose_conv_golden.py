#!/usr/bin/env python3
"""Golden outputs for tests/kernels/transpose_conv_test.cc.

TFLite's reference TRANSPOSE_CONV kernels as they are written: each input
element is scattered over the outputs its window covers, in the loop order
of reference_ops::TransposeConv (float32) and
reference_integer_ops::TransposeConv (int8; int16 with an int64
accumulator), into an output-sized accumulator; then bias, requantization
and the activation clamp. The padding is TFLite's ComputePaddingHeightWidth
applied to the output's size (transpose_conv.cc). Float32 arithmetic is
emulated by rounding every product and sum to float32. Written from those
definitions, not from Kiln's C (which gathers instead of scattering).
Run: python3 transpose_conv_golden.py > transpose_conv_golden.inc
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conv_golden import Lcg, act_range_f, act_range_q, f32, mbqm, quantize_multiplier, window  # noqa: E402
from s16x8_golden import act_range16, bias_value, i16, mbqm64  # noqa: E402


def tconv(case):
    (name, dtype, n, h, w, c, kh, kw, oc, oh, ow, pad, sh, sw, act, in_s, in_zp, f_s, out_s, out_zp,
     bias_kind, seed) = case
    g = Lcg(seed)
    draw = {"float32": g.f, "int8": g.i8, "int16": lambda: i16(g)}[dtype]
    inp = [draw() for _ in range(n * h * w * c)]
    flt = [(g.f() if dtype == "float32" else g.i8()) for _ in range(oc * kh * kw * c)]
    if bias_kind is None:
        bias = None
    elif dtype == "float32":
        bias = [g.f() for _ in range(oc)]
    elif bias_kind == "int16":
        bias = [(g.next() >> 16) - 32768 for _ in range(oc)]
    else:
        bias = [(g.bias() if dtype == "int8" else bias_value(g)) for _ in range(oc)]
    _, pad_h = window(pad, oh, kh, sh, 1)
    _, pad_w = window(pad, ow, kw, sw, 1)
    acc = [0.0 if dtype == "float32" else 0] * (n * oh * ow * oc)
    for b in range(n):
        for iy in range(h):
            for ix in range(w):
                for ic in range(c):
                    for fy in range(kh):
                        for fx in range(kw):
                            for o in range(oc):
                                oy, ox = iy * sh - pad_h + fy, ix * sw - pad_w + fx
                                if not (0 <= oy < oh and 0 <= ox < ow):
                                    continue
                                x = inp[((b * h + iy) * w + ix) * c + ic]
                                f = flt[((o * kh + fy) * kw + fx) * c + ic]
                                k = ((b * oh + oy) * ow + ox) * oc + o
                                if dtype == "float32":
                                    acc[k] = f32(acc[k] + f32(x * f))
                                elif dtype == "int8":
                                    acc[k] += (x - in_zp) * f
                                else:
                                    acc[k] += x * f
    out = []
    if dtype == "float32":
        lo, hi = act_range_f(act)
        for k, v in enumerate(acc):
            if bias:
                v = f32(v + bias[k % oc])
            out.append(min(max(v, lo), hi))
        return out
    scales = [f32(s) for s in f_s]
    mults = [quantize_multiplier(f32(in_s) * (scales[o] if len(scales) > 1 else scales[0]) / f32(out_s))
             for o in range(oc)]
    lo, hi = act_range_q(act, f32(out_s), out_zp) if dtype == "int8" else act_range16(act, f32(out_s))
    for k, v in enumerate(acc):
        o = k % oc
        if bias:
            v += bias[o]
        q = mbqm(v, *mults[o]) + out_zp if dtype == "int8" else mbqm64(v, *mults[o])
        out.append(min(max(q, lo), hi))
    return out


# name, dtype, N,H,W,C, KH,KW, out_c, out_h, out_w, padding, stride h/w, activation,
# input scale, input zp, filter scales, output scale, output zp, bias (None or its dtype), seed
CASES = [
    ("f32_same_stride2_bias", "float32", 1, 3, 3, 2, 3, 3, 3, 6, 6, "SAME", 2, 2, "NONE",
     0, 0, [0], 0, 0, "float32", 201),
    ("f32_valid_stride1_relu_no_bias", "float32", 2, 4, 3, 3, 2, 3, 2, 5, 5, "VALID", 1, 1, "RELU",
     0, 0, [0], 0, 0, None, 202),
    ("s8_same_stride2_per_channel", "int8", 1, 4, 3, 3, 3, 3, 4, 8, 6, "SAME", 2, 2, "NONE",
     0.05, -3, [0.004, 0.002, 0.003, 0.0015], 0.08, 5, "int32", 203),
    ("s8_valid_stride_3x2_relu6_odd_size", "int8", 1, 3, 4, 2, 4, 3, 3, 10, 9, "VALID", 3, 2, "RELU6",
     0.03, 7, [0.01], 0.05, -128, "int32", 204),
    ("s8_same_output_padding_no_bias", "int8", 2, 3, 3, 2, 3, 3, 2, 5, 5, "SAME", 2, 2, "RELU",
     0.02, 0, [0.005, 0.007], 0.04, -20, None, 205),
    ("s16_bias64_same_stride2", "int16", 1, 3, 4, 2, 3, 3, 3, 6, 8, "SAME", 2, 2, "NONE",
     0.0005, 0, [0.003, 0.002, 0.004], 0.0009, 0, "int64", 206),
    ("s16_bias16_valid_relu", "int16", 1, 4, 4, 3, 2, 2, 2, 5, 5, "VALID", 1, 1, "RELU",
     0.0002, 0, [0.004, 0.002], 0.0005, 0, "int16", 207),
    ("s16_no_bias_stride3", "int16", 1, 3, 3, 2, 3, 3, 2, 9, 9, "SAME", 3, 3, "NONE",
     0.0003, 0, [0.002, 0.005], 0.0006, 0, None, 208),
]


def fmt_list(values, f=str):
    return "{" + ", ".join(f(v) for v in values) + "}"


def ffloat(v):
    return repr(f32(v)) + "f"


def emit():
    print("// Generated by tests/kernels/transpose_conv_golden.py: expected outputs from TFLite's")
    print("// scattering reference TRANSPOSE_CONV kernels. Do not edit; rerun the script.")
    print("// clang-format off")
    print("inline const std::vector<TransposeConvCase> kTransposeConvCases = {")
    for case in CASES:
        (name, dtype, n, h, w, c, kh, kw, oc, oh, ow, pad, sh, sw, act, in_s, in_zp, f_s, out_s, out_zp,
         bias_kind, seed) = case
        out = tconv(case)
        fields = [f'"{name}"', f'"{dtype}"', f"{n}, {h}, {w}, {c}, {kh}, {kw}, {oc}, {oh}, {ow}", f'"{pad}"',
                  f"{sh}, {sw}", f'"{act}"', ffloat(in_s), str(in_zp), fmt_list(f_s, ffloat), ffloat(out_s),
                  str(out_zp), f'"{bias_kind or ""}"', f"{seed}u",
                  "{}" if dtype == "float32" else fmt_list(out),
                  fmt_list(out, lambda v: v.hex()) if dtype == "float32" else "{}"]
        print("    {" + ", ".join(fields) + "},")
    print("};")
    print("// clang-format on")


if __name__ == "__main__":
    if "--stats" in sys.argv:
        for case in CASES:
            out = tconv(case)
            print(case[0], len(out), "min", min(out), "max", max(out))
    else:
        emit()
