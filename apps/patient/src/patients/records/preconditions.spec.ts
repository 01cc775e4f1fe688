import { acceptedVersions } from './preconditions';

describe('acceptedVersions (If-Match)', () => {
  it('sets no condition without the header or with *', () => {
    expect(acceptedVersions(undefined)).toBeUndefined();
    expect(acceptedVersions(' * ')).toBeUndefined();
  });

  it('reads weak and strong tags, one or several', () => {
    expect(acceptedVersions('W/"3"')).toEqual([3]);
    expect(acceptedVersions('"4", W/"7"')).toEqual([4, 7]);
  });

  it('accepts nothing when no tag is one of our versions', () => {
    expect(acceptedVersions('"abc"')).toEqual([]);
    expect(acceptedVersions('3')).toEqual([]);
    expect(acceptedVersions('')).toEqual([]);
  });
});
