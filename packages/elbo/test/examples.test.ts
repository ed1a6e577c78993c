// Runs every @example in this package's TSDoc: printed values are asserted and leaks fail (see @vae/testing).
import { testExamples } from '@vae/testing';

testExamples(__dirname, require);
