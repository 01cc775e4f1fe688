import { describeAccessPolicyOf } from '@pm/testing';

describeAccessPolicyOf('patient', __dirname);
