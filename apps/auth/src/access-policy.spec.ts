import { describeAccessPolicyOf } from '@pm/testing';

describeAccessPolicyOf('auth', __dirname);
