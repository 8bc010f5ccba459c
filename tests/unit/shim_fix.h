/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Forced include (-include) for building kmod/ in userspace while
 * kmod/pure.h lacks parts of its userspace shim: IPPROTO_* (<linux/in.h>)
 * and the signed kernel integer types. Used only when the Makefile's probe
 * finds that the core does not build with pure.h alone (that probe is
 * reported as a failed case). Repeating a typedef of the same type is valid C11.
 */
#ifndef NAT64_TEST_SHIM_FIX_H
#define NAT64_TEST_SHIM_FIX_H
#include <stdint.h>
#include <linux/in.h>
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;
#endif
