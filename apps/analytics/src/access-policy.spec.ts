import { describeAccessPolicyOf } from '@pm/testing';

describeAccessPolicyOf('analytics', __dirname);
