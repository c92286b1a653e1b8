/* Platform hooks of the device protocol server for Arm's MPS2 boards as
 * QEMU emulates them (qemu-system-arm -M mps2-an385, Cortex-M3, and
 * mps2-an386, Cortex-M4F: the same peripherals at the same addresses):
 * UART0 (CMSDK APB UART) for the host link, TIMER0 (CMSDK APB timer) for
 * timing. Under `-icount shift=0` TIMER0's 25 MHz clock advances one tick
 * per 40 guest instructions, so readings are deterministic. */
#define KILN_UART0_BASE 0x40004000u
#define KILN_TIMER0_BASE 0x40000000u
#include "mps_common.h"

/* Timer registers: control (bit 0 enable), current value (counts down), reload. */
#define TIMER_CTRL KILN_REG(KILN_TIMER0_BASE + 0x00u)
#define TIMER_VALUE KILN_REG(KILN_TIMER0_BASE + 0x04u)
#define TIMER_RELOAD KILN_REG(KILN_TIMER0_BASE + 0x08u)

static uint32_t timer_origin = 0;

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
