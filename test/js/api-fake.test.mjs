// The API suite against a JS fake of the engine bindings: tests the API layer alone.
import { createFakeModule } from './fake-engine.mjs';
import { useModuleForTesting } from '../../js/loader.js';
import { apiSuite } from './api-suite.mjs';
import * as api from '../../js/index.js';

useModuleForTesting(createFakeModule(), 'scalar');
apiSuite(api);
