/* logistic_tanh_s16: int16 LOGISTIC and TANH by table and interpolation,
 * as TFLite's reference_integer_ops (see the header). */
#include "kiln/kernels/logistic_tanh_s16.h"

/* sigmoid(i / 24) in units of 2^-16 (the last entry saturated to 65535):
 * TFLite's sigmoid_table_uint16, a published constant of its int16
 * kernels. */
static const uint16_t kiln_sigmoid_table_u16[256] = {
    32768, 33451, 34133, 34813, 35493, 36169, 36843, 37513, 38180, 38841, 39498, 40149,
    40794, 41432, 42064, 42688, 43304, 43912, 44511, 45102, 45683, 46255, 46817, 47369,
    47911, 48443, 48964, 49475, 49975, 50464, 50942, 51409, 51865, 52311, 52745, 53169,
    53581, 53983, 54374, 54755, 55125, 55485, 55834, 56174, 56503, 56823, 57133, 57433,
    57724, 58007, 58280, 58544, 58800, 59048, 59288, 59519, 59743, 59959, 60168, 60370,
    60565, 60753, 60935, 61110, 61279, 61441, 61599, 61750, 61896, 62036, 62172, 62302,
    62428, 62549, 62666, 62778, 62886, 62990, 63090, 63186, 63279, 63368, 63454, 63536,
    63615, 63691, 63765, 63835, 63903, 63968, 64030, 64090, 64148, 64204, 64257, 64308,
    64357, 64405, 64450, 64494, 64536, 64576, 64614, 64652, 64687, 64721, 64754, 64786,
    64816, 64845, 64873, 64900, 64926, 64950, 64974, 64997, 65019, 65039, 65060, 65079,
    65097, 65115, 65132, 65149, 65164, 65179, 65194, 65208, 65221, 65234, 65246, 65258,
    65269, 65280, 65291, 65301, 65310, 65319, 65328, 65337, 65345, 65352, 65360, 65367,
    65374, 65381, 65387, 65393, 65399, 65404, 65410, 65415, 65420, 65425, 65429, 65433,
    65438, 65442, 65445, 65449, 65453, 65456, 65459, 65462, 65465, 65468, 65471, 65474,
    65476, 65479, 65481, 65483, 65485, 65488, 65489, 65491, 65493, 65495, 65497, 65498,
    65500, 65501, 65503, 65504, 65505, 65507, 65508, 65509, 65510, 65511, 65512, 65513,
    65514, 65515, 65516, 65517, 65517, 65518, 65519, 65520, 65520, 65521, 65522, 65522,
    65523, 65523, 65524, 65524, 65525, 65525, 65526, 65526, 65526, 65527, 65527, 65528,
    65528, 65528, 65529, 65529, 65529, 65529, 65530, 65530, 65530, 65530, 65531, 65531,
    65531, 65531, 65531, 65532, 65532, 65532, 65532, 65532, 65532, 65533, 65533, 65533,
    65533, 65533, 65533, 65533, 65533, 65534, 65534, 65534, 65534, 65534, 65534, 65534,
    65534, 65534, 65534, 65535
};

/* The rescaling's multiplier and shift, the power-of-two case (multiplier
 * 0) resolved to 3 << shift and no shift. */
static void kiln_s16_lut_rescaling(const kiln_logistic_tanh_s16_params_t* params, int32_t* multiplier,
                                   int32_t* shift) {
  *multiplier = params->input_multiplier;
  *shift = params->input_left_shift;
  if (*multiplier == 0) {
    *multiplier = 3 << *shift;
    *shift = 0;
  }
}

/* The rescaled input: x * multiplier, rounded right by shift. */
static int32_t kiln_s16_lut_input(int16_t x, int32_t multiplier, int32_t shift) {
  const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  return ((int32_t)x * multiplier + round) >> shift;
}

void kiln_logistic_s16(const kiln_logistic_tanh_s16_params_t* params, const int16_t* input, int16_t* output) {
  int32_t multiplier, shift, i;
  kiln_s16_lut_rescaling(params, &multiplier, &shift);
  for (i = 0; i < params->size; ++i) {
    const int32_t x = kiln_s16_lut_input(input[i], multiplier, shift);
    const uint32_t ax = (uint32_t)(x < 0 ? -x : x);
    const uint32_t index = ax >> 9; /* 2^9 input units per table step */
    uint32_t y;
    if (index >= 255) {
      y = (uint32_t)0x7FFF << 10;
    } else {
      const uint32_t lo = kiln_sigmoid_table_u16[index], hi = kiln_sigmoid_table_u16[index + 1];
      y = (lo << 9) + (ax & 0x1FF) * (hi - lo);
    }
    /* sigmoid(-x) = 1 - sigmoid(x); then Q16.9 -> Q0.15 (the +2^9 rounds). */
    y = x >= 0 ? y + (1u << 9) : (1u << 25) - y + (1u << 9) - 1;
    output[i] = (int16_t)(y >> 10);
  }
}

void kiln_tanh_s16(const kiln_logistic_tanh_s16_params_t* params, const int16_t* input, int16_t* output) {
  int32_t multiplier, shift, i;
  kiln_s16_lut_rescaling(params, &multiplier, &shift);
  for (i = 0; i < params->size; ++i) {
    const int32_t x = kiln_s16_lut_input(input[i], multiplier, shift);
    const uint32_t ax = (uint32_t)(x < 0 ? -x : x);
    const uint32_t index = ax >> 8; /* sigmoid(2x): half the input units per step */
    int32_t y;
    if (index >= 255) {
      y = (int32_t)(0xFFFFu << 8);
    } else {
      const uint32_t lo = kiln_sigmoid_table_u16[index], hi = kiln_sigmoid_table_u16[index + 1];
      y = (int32_t)((lo << 8) + (ax & 0xFF) * (hi - lo));
    }
    /* 2 sigmoid(2x) - 1, odd in x, rounded; then Q.24 -> Q0.15. Arithmetic
     * >> of a negative value, as TFLite's. */
    y = x >= 0 ? y - (1 << 23) + (1 << 7) : -y + (1 << 23) + (1 << 7) - 1;
    output[i] = (int16_t)(y >> 8);
  }
}
