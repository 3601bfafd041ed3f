import { describe, expect, it } from "vitest";
import { formatDuration } from "./formatDuration";

describe("formatDuration", () => {
  it("shows milliseconds under a second", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(999.4)).toBe("999 ms");
  });

  it("shows tenths of seconds under a minute", () => {
    expect(formatDuration(999.6)).toBe("1.0 s");
    expect(formatDuration(1000)).toBe("1.0 s");
    expect(formatDuration(3240)).toBe("3.2 s");
    expect(formatDuration(59_940)).toBe("59.9 s");
  });

  it("shows minutes and padded seconds from a minute on", () => {
    expect(formatDuration(59_960)).toBe("1 m 00 s");
    expect(formatDuration(65_000)).toBe("1 m 05 s");
    expect(formatDuration(754_000)).toBe("12 m 34 s");
  });

  it("shows hours and padded minutes from an hour on", () => {
    expect(formatDuration(3_600_000)).toBe("1 h 00 m");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2 h 03 m");
  });

  it("shows nothing for values that are not durations", () => {
    expect(formatDuration(-1)).toBe("");
    expect(formatDuration(Number.NaN)).toBe("");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("");
  });
});
