/* Platform hooks of the device protocol server for Arm's MPS2 boards as
 * QEMU emulates them (qemu-system-arm -M mps2-an385, Cortex-M3, and
 * mps2-an386, Cortex-M4F: the same peripherals at the same addresses):
 * UART0 (CMSDK APB UART) for the host link, TIMER0 (CMSDK APB timer) for
 * timing. Under `-icount shift=0` TIMER0's 25 MHz clock advances one tick
 * per 40 guest instructions, so readings are deterministic. */
#include "kiln/rpc/platform.h"
#include "kiln/runtime.h"

#define KILN_UART0_BASE 0x40004000u
#define KILN_TIMER0_BASE 0x40000000u
#define KILN_REG(addr) (*(volatile uint32_t*)(addr))

/* UART registers (CMSDK APB UART): data, state (bit 0 TX full, bit 1 RX
 * full), control (bit 0 TX enable, bit 1 RX enable), baud divider. */
#define UART_DATA KILN_REG(KILN_UART0_BASE + 0x00u)
#define UART_STATE KILN_REG(KILN_UART0_BASE + 0x04u)
#define UART_CTRL KILN_REG(KILN_UART0_BASE + 0x08u)
#define UART_BAUDDIV KILN_REG(KILN_UART0_BASE + 0x10u)

/* Timer registers: control (bit 0 enable), current value (counts down), reload. */
#define TIMER_CTRL KILN_REG(KILN_TIMER0_BASE + 0x00u)
#define TIMER_VALUE KILN_REG(KILN_TIMER0_BASE + 0x04u)
#define TIMER_RELOAD KILN_REG(KILN_TIMER0_BASE + 0x08u)

static int uart_ready = 0;
static uint32_t timer_origin = 0;

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

void kiln_platform_timer_start(void) {
  TIMER_CTRL = 0u;
  TIMER_RELOAD = 0xffffffffu;
  TIMER_VALUE = 0xffffffffu;
  TIMER_CTRL = 1u;
  timer_origin = TIMER_VALUE;
}

uint64_t kiln_platform_timer_stop(void) {
  /* The timer counts down; 2^32 ticks (1.7e11 instructions) never wrap in
   * one measurement. */
  return (uint64_t)(timer_origin - TIMER_VALUE);
}

uint64_t kiln_platform_ticks(void) { return (uint64_t)(0xffffffffu - TIMER_VALUE); }

const char* kiln_platform_timer_unit(void) { return "40 instructions"; }

/* picolibc's linker script: the free RAM between the end of .bss and the
 * top of the stack is the heap, which nothing uses (no malloc). */
extern char __heap_start[];

uintptr_t kiln_platform_stack_limit(void) { return (uintptr_t)__heap_start; }

void kiln_platform_abort(void) {
  for (;;) {
  }
}
