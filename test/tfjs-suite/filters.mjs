// Which of tfjs-core's specs run on 'webnn-wasm' (setupTestFilters' format). Everything runs except
// the excludes below; each is justified in docs/tfjs.md ("tfjs-core's test suite").
export const TEST_FILTERS = [{ include: '', excludes: [] }];

export const customInclude = () => false;
