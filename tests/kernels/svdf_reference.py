#!/usr/bin/env python3
"""Expected values for tests/kernels/svdf_test.cc.

An independent model of TFLite Micro's integer SVDF
(EvalIntegerSvdfReference in tensorflow/lite/micro/kernels/svdf_common.cc),
written from its definition, not from Kiln's C: each run ages the
activation state by one step (the whole buffer moves left by one element),
writes the feature matmul of the input, requantized, with the state's zero
point added before the clamp to the state's type, into the newest time
step; then the time dot products against the state minus its zero point,
the bias, the sum over each unit's `rank` filters and the output
requantization and clamp. TFLite's QuantizeMultiplier and
MultiplyByQuantizedMultiplier (gemmlowp's SaturatingRoundingDoublingHighMul
and RoundingDivideByPOT) are modelled with Python integers.

Also the multipliers Lower computes for the scales of the first SVDF layer
of the shared keyword_scrambled_8bit model (TFLite Micro's
PrepareSvdf: float products and quotients of the float32 scales).

The weights, biases and inputs are arbitrary values, fixed here.
Run: python3 tests/kernels/svdf_reference.py > tests/kernels/svdf_expected.h
"""
import math
import struct

INT32_MIN, INT32_MAX = -(1 << 31), (1 << 31) - 1


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def wrap32(x):
    return (x + (1 << 31)) % (1 << 32) - (1 << 31)


def quantize_multiplier(m):
    """TFLite's QuantizeMultiplier: m = q * 2^shift, q in [0.5, 1) as Q31."""
    if m == 0:
        return 0, 0
    q, shift = math.frexp(m)
    q_fixed = int(math.floor(abs(q) * (1 << 31) + 0.5)) * (1 if q >= 0 else -1)  # std::round
    if q_fixed == (1 << 31):
        q_fixed //= 2
        shift += 1
    if shift < -31:
        return 0, 0
    return q_fixed, shift


def srdhm(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul."""
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    total = ab + nudge
    # C++ integer division truncates toward zero.
    q = abs(total) // (1 << 31)
    return q if total >= 0 else -q


def rounding_divide_by_pot(x, exponent):
    mask = (1 << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def multiply_by_quantized_multiplier(x, multiplier, shift):
    left = shift if shift > 0 else 0
    right = -shift if shift < 0 else 0
    return rounding_divide_by_pot(srdhm(wrap32(x * (1 << left)), multiplier), right)


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


class Svdf:
    """One SVDF layer and its persistent state, stepped run by run."""

    def __init__(self, batches, input_size, filters, rank, memory, input_zp, state_zp, output_zp,
                 feature_scale, output_scale, weights_feature, weights_time, bias, state_bits):
        self.b, self.n_in, self.f, self.rank, self.t = batches, input_size, filters, rank, memory
        self.units = filters // rank
        self.input_zp, self.state_zp, self.output_zp = input_zp, state_zp, output_zp
        self.fm, self.fs = quantize_multiplier(feature_scale)
        self.om, self.os = quantize_multiplier(output_scale)
        self.wf, self.wt, self.bias = weights_feature, weights_time, bias
        self.state_min, self.state_max = -(1 << (state_bits - 1)), (1 << (state_bits - 1)) - 1
        # TFLite Micro starts the state at its zero point.
        self.state = [state_zp] * (batches * filters * memory)

    def params(self):
        """kiln_svdf_integer_params_t, field by field."""
        return [self.b, self.n_in, self.f, self.units, self.rank, self.t, self.input_zp, self.state_zp,
                self.output_zp, self.fm, self.fs, self.om, self.os]

    def run(self, inputs):
        b_n, f_n, t_n = self.b, self.f, self.t
        self.state = self.state[1:] + [self.state[-1]]  # age by one step
        for b in range(b_n):
            for f in range(f_n):
                dot = sum(self.wf[f * self.n_in + c] * (inputs[b * self.n_in + c] - self.input_zp)
                          for c in range(self.n_in))
                v = multiply_by_quantized_multiplier(dot, self.fm, self.fs) + self.state_zp
                self.state[(b * f_n + f) * t_n + t_n - 1] = clamp(v, self.state_min, self.state_max)
        out = []
        for b in range(b_n):
            time = [sum(self.wt[f * t_n + t] * (self.state[(b * f_n + f) * t_n + t] - self.state_zp)
                        for t in range(t_n)) for f in range(f_n)]
            for u in range(self.units):
                acc = (self.bias[u] if self.bias else 0) + sum(time[u * self.rank + j] for j in range(self.rank))
                v = multiply_by_quantized_multiplier(acc, self.om, self.os) + self.output_zp
                out.append(clamp(v, -128, 127))
        return out


# B=2, In=5, F=6, rank 2 (3 units), T=3; int8 state with zero point -50,
# input zero point -3, output 4; feature scale 0.004, output scale 0.0021:
# several feature values saturate at -128 after the zero point is added.
S8 = dict(
    batches=2, input_size=5, filters=6, rank=2, memory=3, input_zp=-3, state_zp=-50, output_zp=4,
    feature_scale=0.004, output_scale=0.0021, state_bits=8,
    weights_feature=[119, 98, -82, 115, -96, -85, -38, 20, 4, -74, 40, -112, 51, -88, 65,
                     -101, -100, 68, -10, 110, -67, 95, -85, 79, 22, 68, -36, 10, -75, 39],
    weights_time=[72, -113, 127, 8, 10, -44, -47, 67, -37, 101, 101, 14, 87, 91, 91, -24, -121, 69],
    bias=[227, 2679, 2387])
S8_INPUTS = [[84, -114, 26, -127, 51, -39, 121, -74, 11, 26],
             [-49, 123, 57, -3, 43, -122, 43, 87, 97, -1],
             [-31, -15, -41, -49, -64, -62, -66, 45, -98, -6]]

# The same shapes with int16 time weights and state (zero point 0), TFLite's
# standard int8 SVDF quantization; scales 0.37 and 2e-7.
S8_S16 = dict(
    batches=2, input_size=5, filters=6, rank=2, memory=3, input_zp=-3, state_zp=0, output_zp=4,
    feature_scale=0.37, output_scale=2e-7, state_bits=16,
    weights_feature=[81, 14, -86, 3, 53, -6, 81, 7, 109, -100, -86, 52, 85, 57, -33,
                     -62, -111, -97, -54, 86, -79, 14, 108, 52, -24, -101, -64, 63, -99, -85],
    weights_time=[-18772, -1372, -26819, -15169, -21172, 5008, -3553, -24291, 12225, 13276, 9255, -7251,
                  -18145, -2622, 10319, 6119, -11754, -17822],
    bias=[-1030, -2222, 1260])
S8_S16_INPUTS = [[-101, -116, 26, 92, -26, 62, -21, -7, 126, 96],
                 [113, 76, -118, -43, -48, -4, -99, 25, 72, -50],
                 [-64, -101, 93, -9, -77, 112, 1, -125, 6, 30]]

# keyword_scrambled_8bit's first SVDF layer: input, weights_feature,
# weights_time, activation state and output scales (float32).
KWS_INPUT, KWS_WF, KWS_WT = 0.05920833349227905, 0.009171206504106522, 0.014938733540475368
KWS_STATE, KWS_OUTPUT = 0.8073114156723022, 0.23618337512016296


def ints(values):
    return ", ".join(str(v) for v in values)


def emit_case(name, spec, inputs):
    layer = Svdf(**spec)
    outputs = [layer.run(x) for x in inputs]
    lines = [
        f"// {name}: kiln_svdf_integer_params_t in field order.",
        f"inline constexpr int32_t k{name}Params[] = {{{ints(layer.params())}}};",
        f"inline constexpr int32_t k{name}WeightsFeature[] = {{{ints(spec['weights_feature'])}}};",
        f"inline constexpr int32_t k{name}WeightsTime[] = {{{ints(spec['weights_time'])}}};",
        f"inline constexpr int32_t k{name}Bias[] = {{{ints(spec['bias'])}}};",
        f"inline constexpr int32_t k{name}Inputs[{len(inputs)}][{len(inputs[0])}] = {{"
        + ", ".join("{" + ints(x) + "}" for x in inputs) + "};",
        f"inline constexpr int32_t k{name}Outputs[{len(outputs)}][{len(outputs[0])}] = {{"
        + ", ".join("{" + ints(y) + "}" for y in outputs) + "};",
        f"inline constexpr int32_t k{name}FinalState[] = {{{ints(layer.state)}}};",
    ]
    return lines


def main():
    out = [
        "// Generated by tests/kernels/svdf_reference.py; do not edit.",
        "// Expected values of TFLite Micro's integer SVDF, computed independently",
        "// of Kiln's C kernels.",
        "// clang-format off",
        "#pragma once",
        "",
        "#include <cstdint>",
        "",
        "namespace kiln::test::svdf_expected {",
        "",
    ]
    out += emit_case("S8", S8, S8_INPUTS)
    out.append("")
    out += emit_case("S8S16", S8_S16, S8_S16_INPUTS)
    out.append("")
    feature = quantize_multiplier(f32(f32(KWS_INPUT * KWS_WF) / KWS_STATE))
    output = quantize_multiplier(f32(f32(KWS_STATE * KWS_WT) / KWS_OUTPUT))
    out += [
        "// keyword_scrambled_8bit's first SVDF: multiplier and shift of",
        "// float(float(input * weights_feature) / state) and",
        "// float(float(state * weights_time) / output).",
        f"inline constexpr int32_t kKeywordFeatureMultiplier[] = {{{ints(feature)}}};",
        f"inline constexpr int32_t kKeywordOutputMultiplier[] = {{{ints(output)}}};",
        "",
        "}  // namespace kiln::test::svdf_expected",
    ]
    print("\n".join(out))


if __name__ == "__main__":
    main()
