import { describe, expect, it } from "vitest";
import { clock, duration, labelOf, recommendationLabels } from "../../src/components/format";

describe("format", () => {
  it("formats clocks", () => {
    expect(clock(0)).toBe("0:00");
    expect(clock(75.9)).toBe("1:15");
    expect(clock(3725)).toBe("1:02:05");
    expect(clock(-5)).toBe("0:00");
  });

  it("formats durations", () => {
    expect(duration(null)).toBe("—");
    expect(duration(42)).toBe("42 s");
    expect(duration(1440)).toBe("24 min");
    expect(duration(3900)).toBe("1 h 5 min");
  });

  it("labels known and unknown values", () => {
    expect(labelOf(recommendationLabels, "insufficient_data")).toBe("Not enough data");
    expect(labelOf(recommendationLabels, "maybe_later")).toBe("maybe later");
  });
});
