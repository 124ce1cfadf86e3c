import { describe, expect, it } from 'vitest';
import { spreadOf } from '../../src/domain/calibration-spread.js';

describe('the spread of a calibration', () => {
  it('is the mean absolute deviation from the mean and the range, in percentage points', () => {
    // Mean 70; deviations 20, 10, 30 → 20; range 90 − 40 = 50.
    expect(spreadOf([90, 80, 40])).toEqual({ mean: 70, meanAbsoluteDeviation: 20, range: 50 });
  });

  it('is zero when evaluators agree, and says nothing without a completed review', () => {
    expect(spreadOf([62.5, 62.5])).toEqual({ mean: 62.5, meanAbsoluteDeviation: 0, range: 0 });
    expect(spreadOf([])).toEqual({ mean: null, meanAbsoluteDeviation: null, range: null });
  });
});
