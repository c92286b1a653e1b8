/* What Arm's MPS2 and MPS3 FPGA images share as QEMU emulates them, for
 * their platform files (mps2.c, mps3_an547.c): the CMSDK APB UART that
 * carries the device protocol, and picolibc's stack bounds. A platform file
 * defines KILN_UART0_BASE and includes this once. */
#ifndef KILN_PLATFORM_MPS_COMMON_H_
#define KILN_PLATFORM_MPS_COMMON_H_

#include "kiln/rpc/platform.h"
#include "kiln/runtime.h"

#define KILN_REG(addr) (*(volatile uint32_t*)(addr))

/* UART registers (CMSDK APB UART): data, state (bit 0 TX full, bit 1 RX
 * full), control (bit 0 TX enable, bit 1 RX enable), baud divider. */
#define UART_DATA KILN_REG(KILN_UART0_BASE + 0x00u)
#define UART_STATE KILN_REG(KILN_UART0_BASE + 0x04u)
#define UART_CTRL KILN_REG(KILN_UART0_BASE + 0x08u)
#define UART_BAUDDIV KILN_REG(KILN_UART0_BASE + 0x10u)

static int uart_ready = 0;

static void uart_init(void) {
  if (uart_ready) return;
  UART_BAUDDIV = 16u; /* the smallest divider the UART accepts */
  UART_CTRL = 3u;
  /* Reading DATA while it is empty makes QEMU (7.2) look at its serial
   * input again; otherwise, after a reset of the board, input waits until
   * QEMU's main loop wakes for some other reason, up to a second. Harmless
   * on hardware; a byte arriving between the two reads would be lost, and
   * the protocol recovers from lost bytes. */
  if (!(UART_STATE & 2u)) (void)UART_DATA;
  uart_ready = 1;
}

void kiln_platform_write(const uint8_t* data, size_t size) {
  size_t i;
  uart_init();
  for (i = 0; i < size; ++i) {
    while (UART_STATE & 1u) {
    }
    UART_DATA = data[i];
  }
}

int kiln_platform_read_byte(uint8_t* byte) {
  uart_init();
  while (!(UART_STATE & 2u)) {
  }
  *byte = (uint8_t)(UART_DATA & 0xffu);
  return 0;
}

/* picolibc's linker script: the free RAM between the end of .bss and the
 * top of the stack is the heap, which nothing uses (no malloc). */
extern char __heap_start[];

uintptr_t kiln_platform_stack_limit(void) { return (uintptr_t)__heap_start; }

void kiln_platform_abort(void) {
  for (;;) {
  }
}

#endif /* KILN_PLATFORM_MPS_COMMON_H_ */
