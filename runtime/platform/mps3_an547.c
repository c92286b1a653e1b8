/* Platform hooks of the device protocol server for Arm's MPS3 AN547 image
 * (Cortex-M55 with Helium), as QEMU emulates it (qemu-system-arm -M
 * mps3-an547): UART0 (CMSDK APB UART, at 0x49303000 there) for the host
 * link, and SysTick for timing, since the image's CMSDK timers do not count
 * under QEMU 7.2 (docs/emulation-notes.md). SysTick runs on the 32 MHz
 * processor clock: under `-icount shift=0` one tick is 31.25 guest
 * instructions, deterministic; the hooks report instructions (ticks x
 * 125 / 4), exact to within one tick. */
#define KILN_UART0_BASE 0x49303000u
#include "mps_common.h"

/* SysTick: control and status (bit 0 enable, bit 2 processor clock),
 * reload value, current value (24 bits, counts down). */
#define SYST_CSR KILN_REG(0xE000E010u)
#define SYST_RVR KILN_REG(0xE000E014u)
#define SYST_CVR KILN_REG(0xE000E018u)
#define SYST_MASK 0xFFFFFFu

static int systick_ready = 0;
static uint32_t systick_last = 0;  /* CVR at the last reading */
static uint64_t systick_total = 0; /* ticks up to the last reading */
static uint64_t timer_origin = 0;

/* Ticks since the first call, extended to 64 bits. Each reading adds the
 * ticks since the previous one modulo 2^24, so readings must come less than
 * 2^24 ticks (524 million instructions) apart: run() reads around every
 * operator with KILN_PROFILE, and around the whole inference otherwise. */
static uint64_t systick_ticks(void) {
  uint32_t now;
  if (!systick_ready) {
    SYST_RVR = SYST_MASK;
    SYST_CVR = 0u; /* any write clears it; it reloads on the next tick */
    SYST_CSR = 5u;
    systick_last = SYST_CVR;
    systick_ready = 1;
  }
  now = SYST_CVR;
  systick_total += (uint64_t)((systick_last - now) & SYST_MASK);
  systick_last = now;
  return systick_total;
}

static uint64_t instructions(uint64_t ticks) { return ticks * 125u / 4u; }

void kiln_platform_timer_start(void) { timer_origin = systick_ticks(); }

uint64_t kiln_platform_timer_stop(void) { return instructions(systick_ticks() - timer_origin); }

uint64_t kiln_platform_ticks(void) { return instructions(systick_ticks()); }

const char* kiln_platform_timer_unit(void) { return "instructions (SysTick, 31.25 per tick)"; }
