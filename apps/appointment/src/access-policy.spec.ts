import { describeAccessPolicyOf } from '@pm/testing';

describeAccessPolicyOf('appointment', __dirname);
