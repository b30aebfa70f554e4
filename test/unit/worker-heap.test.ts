import v8 from 'node:v8';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../../worker/heap';

describe('limitHeapGrowth', () => {
  afterEach(() => jest.restoreAllMocks());

  it("sets V8's heap growing factor, by default to HEAP_GROWING_PERCENT", () => {
    const setFlags = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    limitHeapGrowth();
    limitHeapGrowth(35);
    expect(setFlags.mock.calls).toEqual([[`--heap-growing-percent=${HEAP_GROWING_PERCENT}`], ['--heap-growing-percent=35']]);
  });

  it('refuses a percentage that is not a positive whole number', () => {
    const setFlags = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
    expect(() => limitHeapGrowth(0)).toThrow('positive whole number, not 0');
    expect(() => limitHeapGrowth(12.5)).toThrow('positive whole number, not 12.5');
    expect(setFlags).not.toHaveBeenCalled();
  });
});
