// The page tests (page-cases.mjs) in Debian's Firefox ESR, headless, over WebDriver BiDi.
import { pageTests } from './page-cases.mjs';

pageTests('firefox');
