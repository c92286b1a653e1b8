#!/usr/bin/env python3
"""Expected outputs of the integer UNIDIRECTIONAL_SEQUENCE_LSTM for
tests/e2e/single_operator_test.cc: TensorFlow Lite Micro's integer LSTM
(lstm_eval.h: LstmStep's CalculateLstmGate, UpdateLstmCell and
UpdateLstmHidden; lstm_eval_common.cc: PrepareGateParametersInteger and
CreateLstmCellStateInfo), written from those definitions, not from Kiln's
C. The integer FullyConnected accumulates in the bias's type (int32 and
the two-rounding MultiplyByQuantizedMultiplier with int8 activations,
int64 and the single-rounding one with int16); the int16 sigmoid and tanh
are psm_reference.py's. Each case's weights and inputs are floats, which
the test quantizes as this script does (round half away from zero).
Run: python3 lstm_reference.py > lstm_expected.h
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conv_golden import Lcg  # noqa: E402
from psm_reference import (f32, logistic_s16_rescaled, mbqm, quantize_multiplier, round_half_away,  # noqa: E402
                           tanh_s16_rescaled, wrap32)
from s16x8_golden import mbqm64  # noqa: E402
from fractions import Fraction  # noqa: E402

GATE_IN, GATE_OUT = f32(2.0**-12), f32(2.0**-15)


def quantize(values, scale, zp, lo, hi):
    """As the test's QuantizeValues: a double division, then std::round."""
    return [max(lo, min(hi, round_half_away(Fraction(f32(v) / f32(scale))) + zp)) for v in values]


def multiplier(a, b, out):
    return quantize_multiplier(f32(a) * f32(b) / f32(out))


def sat16(x):
    return max(-32768, min(32767, x))


def cell_tanh_rescale(cell_scale):
    """CreateLstmCellStateInfo's power, then lstm_internal::Tanh's shift."""
    power = round(math.log2(f32(cell_scale)))
    shift = 15 + power - 3
    return (3, -shift) if shift < 0 else (0, shift)


def lstm(case):
    """The output (all steps), as integers."""
    c = case
    int16 = c["int16"]
    lo, hi = (-32768, 32767) if int16 else (-128, 127)
    nb, steps, ni, nc = c["batches"], c["steps"], c["inputs"], c["cells"]
    x = quantize(c["x"], c["input_scale"], c["input_zp"], lo, hi)
    gates = []
    for g in c["gates"]:  # forget, input, cell, output
        bias_lo, bias_hi = (-2**63, 2**63 - 1) if int16 else (-2**31, 2**31 - 1)
        gates.append({
            "w": quantize(g["w"], g["w_scale"], 0, -128, 127),
            "r": quantize(g["r"], g["r_scale"], 0, -128, 127),
            "b": quantize(g["b"], g["b_scale"], 0, bias_lo, bias_hi),
            "mw": multiplier(c["input_scale"], g["w_scale"], GATE_IN),
            "mr": multiplier(c["hidden_scale"], g["r_scale"], GATE_IN),
        })
    cell_scale = c["cell_scale"]
    forget_mul = multiplier(GATE_OUT, cell_scale, cell_scale)
    input_mul = multiplier(GATE_OUT, GATE_OUT, cell_scale)
    hidden_mul = multiplier(GATE_OUT, GATE_OUT, c["hidden_scale"])
    tanh_c = cell_tanh_rescale(cell_scale)
    clip = c["cell_clip"]
    qclip = int(max(min(f32(clip) / f32(cell_scale), 32767.0), -32768.0))  # static_cast<int16_t> truncates
    # Variable tensors start at the zero point (ResetVariableTensors).
    h = [c["hidden_zp"]] * (nb * nc)
    cell = [0] * (nb * nc)

    def fc(vec, off, w, bias, m, depth):
        out = []
        for k in range(nc):
            acc = sum(w[k * depth + d] * (vec[d] + off) for d in range(depth)) + (bias[k] if bias else 0)
            out.append(sat16(mbqm64(acc, *m) if int16 else mbqm(wrap32(acc), *m)))
        return out

    def gate(g, xv, hv, sigmoid):
        a = fc(xv, -c["input_zp"], g["w"], g["b"], g["mw"], ni)
        b = fc(hv, -c["hidden_zp"], g["r"], None, g["mr"], nc)
        s = [sat16(p + q) for p, q in zip(a, b)]
        return logistic_s16_rescaled(s, 0, 0) if sigmoid else tanh_s16_rescaled(s, 0, 0)

    def step(xv, hv, cv):
        """One batch's step: the new h and c."""
        f = gate(gates[0], xv, hv, True)
        i = gate(gates[1], xv, hv, True)
        g = gate(gates[2], xv, hv, False)
        new_c = []
        for k in range(nc):
            v = sat16(sat16(mbqm(f[k] * cv[k], *forget_mul)) + sat16(mbqm(i[k] * g[k], *input_mul)))
            new_c.append(max(-qclip, min(qclip, v)) if clip > 0 else v)
        o = gate(gates[3], xv, hv, True)
        t = tanh_s16_rescaled(new_c, *tanh_c)
        new_h = [max(lo, min(hi, mbqm(t[k] * o[k], *hidden_mul) + c["hidden_zp"])) for k in range(nc)]
        return new_h, new_c

    out = [0] * (nb * steps * nc)
    # Batches are independent: time-major runs them together, batch-major one
    # after another, with the same arithmetic per element.
    for b in range(nb):
        hv, cv = h[b * nc:(b + 1) * nc], cell[b * nc:(b + 1) * nc]
        for t in range(steps):
            at = (t * nb + b) if c["time_major"] else (b * steps + t)
            hv, cv = step(x[at * ni:(at + 1) * ni], hv, cv)
            out[at * nc:(at + 1) * nc] = hv
    return out


def tflite_micro_case(int16):
    """TFLite Micro's lstm_test_data.cc 2x3x2x2 case and settings."""
    big, unit = 0.15748031496062992, 0.007874015748031496
    big_b = 4.8059911474468205e-06 if int16 else 0.0012351397251814111
    unit_b = 2.40299557372341e-07 if int16 else 6.175698625907056e-5
    gate = lambda w, b, ws, bs: {"w": w, "r": w, "b": b, "w_scale": ws, "r_scale": ws, "b_scale": bs}
    return {
        "int16": int16, "batches": 2, "steps": 3, "inputs": 2, "cells": 2, "time_major": False,
        "cell_clip": 6.0,
        "gates": [gate([-10, -10, -20, -20], [1, 2], big, big_b), gate([10, 10, 20, 20], [-1, -2], big, big_b),
                  gate([1, 1, 1, 1], [0, 0], unit, unit_b), gate([1, 1, 1, 1], [0, 0], unit, unit_b)],
        "input_scale": 3.0518044e-5 if int16 else 0.00784313725490196,
        "hidden_scale": 2.1362956633198035e-05 if int16 else 0.004705882165580988,
        "cell_scale": 0.00024414062, "input_zp": 0, "hidden_zp": 0 if int16 else -21,
        "x": [0.2, 0.3, 0.2, 0.3, 0.2, 0.3, -0.98, 0.62, 0.01, 0.99, 0.49, -0.32],
    }


def random_case(seed, int16, time_major, cell_clip, cell_scale):
    """3 inputs, 4 cells, 2 batches, 5 steps of pseudo-random weights and
    inputs; the weights of each gate at their own scale."""
    g = Lcg(seed)
    uniform = lambda a: (g.next() / 2**32 * 2 - 1) * a
    gates = []
    for k in range(4):
        ws, rs = 0.01 * (k + 1), 0.02 / (k + 1)
        gates.append({"w": [uniform(1.2) for _ in range(12)], "r": [uniform(1.2) for _ in range(16)],
                      "b": [uniform(2.0) for _ in range(4)], "w_scale": ws, "r_scale": rs,
                      "b_scale": (1e-5 if int16 else 1e-3) * (k + 1)})
    return {
        "int16": int16, "batches": 2, "steps": 5, "inputs": 3, "cells": 4, "time_major": time_major,
        "cell_clip": cell_clip, "gates": gates,
        "input_scale": 1.0 / 16384 if int16 else 0.02, "hidden_scale": 1.0 / 32768 if int16 else 0.0078125,
        "cell_scale": cell_scale, "input_zp": 0 if int16 else 7, "hidden_zp": 0 if int16 else -3,
        "x": [uniform(1.5) for _ in range(30)],
    }


def literal(v):
    """A C++ float literal that reads back as f32(v)."""
    text = f"{f32(v):.9g}"
    return text + ("f" if any(ch in text for ch in ".e") else ".0f")


def floats(values):
    return ", ".join(literal(v) for v in values)


def emit(name, case):
    c = case
    print(f"inline const LstmReferenceCase {name} = {{")
    print(f"    {{{str(c['int16']).lower()}, {c['batches']}, {c['inputs']}, {c['cells']}, "
          f"{str(c['time_major']).lower()}, {literal(c['cell_clip'])},")
    print("     {")
    for g in c["gates"]:
        print(f"         {{{{{floats(g['w'])}}},\n          {{{floats(g['r'])}}},\n          {{{floats(g['b'])}}},")
        print(f"          {literal(g['w_scale'])}, {literal(g['r_scale'])}, {literal(g['b_scale'])}}},")
    print("     },")
    print(f"     {literal(c['input_scale'])}, {literal(c['hidden_scale'])}, {literal(c['cell_scale'])}, "
          f"{c['input_zp']}, {c['hidden_zp']}}},")
    print(f"    {{{floats(c['x'])}}},")
    print(f"    {{{', '.join(str(v) for v in lstm(c))}}}}};\n")


def main():
    print("// Generated by tests/kernels/lstm_reference.py; do not edit.")
    print("// The integer LSTM's expected outputs, TensorFlow Lite Micro's arithmetic")
    print("// computed independently of Kiln's C (see the script).")
    print("#pragma once\n\n#include \"lstm_models.h\"\n\nnamespace kiln::test::lstm_expected {\n")
    print("struct LstmReferenceCase {\n  LstmIntCase layer;\n  std::vector<float> x;\n"
          "  std::vector<int32_t> y;  // the output, every step\n};\n")
    emit("kTfliteMicroInt8", tflite_micro_case(False))
    emit("kTfliteMicro16x8", tflite_micro_case(True))
    emit("kRandomInt8CellClipped", random_case(1, False, False, 0.75, 2.0**-11))
    emit("kRandomInt8TimeMajor", random_case(2, False, True, 0.0, 2.0**-12))
    emit("kRandom16x8TimeMajorClipped", random_case(3, True, True, 1.5, 2.0**-12))
    emit("kRandom16x8CellScale2Pow15", random_case(4, True, False, 0.0, 2.0**-15))
    print("}  // namespace kiln::test::lstm_expected")


if __name__ == "__main__":
    main()
