// The page tests (page-cases.mjs) in Debian's Chromium.
import { pageTests } from './page-cases.mjs';

pageTests('chromium');
