/* Platform hooks of the device protocol server for QEMU's RISC-V `virt`
 * board (qemu-system-riscv32 -M virt): the 16550 UART at 0x10000000 for the
 * host link, and the instret counter for timing, exact to one instruction
 * (and deterministic under `-icount shift=0`). */
#include "kiln/rpc/platform.h"
#include "kiln/runtime.h"

#define KILN_UART_BASE 0x10000000u
#define KILN_UART_REG(offset) (*(volatile uint8_t*)(KILN_UART_BASE + (offset)))
#define UART_DATA KILN_UART_REG(0u)
/* Line status: bit 0 data ready, bit 5 transmit holding register empty. */
#define UART_LSR KILN_UART_REG(5u)

static uint64_t timer_origin = 0;

/* instret is a Zicsr CSR: enable the extension for these instructions only,
 * so the rv32imac multilib stays selected (see docs/emulation-notes.md). */
static uint64_t read_instret(void) {
  uint32_t hi, lo, hi_again;
  do {
    __asm__ volatile(
        ".option push\n.option arch, +zicsr\n"
        "csrr %0, instreth\ncsrr %1, instret\ncsrr %2, instreth\n"
        ".option pop"
        : "=r"(hi), "=r"(lo), "=r"(hi_again));
  } while (hi != hi_again);
  return ((uint64_t)hi << 32) | lo;
}

void kiln_platform_write(const uint8_t* data, size_t size) {
  size_t i;
  for (i = 0; i < size; ++i) {
    while (!(UART_LSR & 0x20u)) {
    }
    UART_DATA = data[i];
  }
}

int kiln_platform_read_byte(uint8_t* byte) {
  while (!(UART_LSR & 0x01u)) {
  }
  *byte = UART_DATA;
  return 0;
}

void kiln_platform_timer_start(void) { timer_origin = read_instret(); }

uint64_t kiln_platform_timer_stop(void) { return read_instret() - timer_origin; }

uint64_t kiln_platform_ticks(void) { return read_instret(); }

const char* kiln_platform_timer_unit(void) { return "instructions"; }

/* picolibc's linker script: the free RAM between the end of .bss and the
 * top of the stack is the heap, which nothing uses (no malloc). */
extern char __heap_start[];

uintptr_t kiln_platform_stack_limit(void) { return (uintptr_t)__heap_start; }

void kiln_platform_abort(void) {
  for (;;) {
  }
}
