/* The operation codes of the binary kernels on raw values (binary_int.h's
 * integer kernels and binary_f64), which compute one of several operators
 * told by a code in their params (POW: integer and float64 only; float32
 * has pow_f32). C99. */
#ifndef KILN_BINARY_OP_H_
#define KILN_BINARY_OP_H_

#define KILN_BINARY_OP_ADD 0
#define KILN_BINARY_OP_SUB 1
#define KILN_BINARY_OP_MUL 2
#define KILN_BINARY_OP_DIV 3
#define KILN_BINARY_OP_FLOOR_DIV 4
#define KILN_BINARY_OP_FLOOR_MOD 5
#define KILN_BINARY_OP_TRUNC_MOD 6
#define KILN_BINARY_OP_MAXIMUM 7
#define KILN_BINARY_OP_MINIMUM 8
#define KILN_BINARY_OP_POW 9
#define KILN_BINARY_OP_SQUARED_DIFFERENCE 10 /* integer only */

#endif /* KILN_BINARY_OP_H_ */
