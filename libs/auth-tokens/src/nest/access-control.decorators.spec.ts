import { Controller, Delete, Get, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiBearerAuth, ApiOperation, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ALLOWED_ROLES, Roles } from './access-control.decorators';

@ApiBearerAuth()
@Roles('ADMIN', 'NURSE')
@Controller('wards')
class WardsController {
  @Get()
  @ApiOperation({ summary: 'All wards', description: 'Sorted by name.' })
  list() {}

  @Roles('ADMIN')
  @Delete(':id')
  @ApiOperation({ summary: 'Closes a ward' })
  close() {}

  @Get('count')
  count() {}
}

describe('@Roles', () => {
  let app: INestApplication;
  let paths: Record<string, Record<string, { description?: string; security?: unknown[]; responses: Record<string, unknown> }>>;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [WardsController] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    paths = SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()).paths as never;
  });

  afterAll(() => app.close());

  it('sets the roles the guard reads, the route overriding the controller', () => {
    expect(Reflect.getMetadata(ALLOWED_ROLES, WardsController)).toEqual(['ADMIN', 'NURSE']);
    expect(Reflect.getMetadata(ALLOWED_ROLES, WardsController.prototype.close)).toEqual(['ADMIN']);
  });

  it('documents the roles at the end of each operation description', () => {
    expect(paths['/wards'].get.description).toBe('Sorted by name.\n\nRoles: ADMIN, NURSE.');
    expect(paths['/wards/{id}'].delete.description).toBe('Roles: ADMIN.');
    expect(paths['/wards/count'].get.description).toBe('Roles: ADMIN, NURSE.');
  });

  it('documents the 401 and 403 answers, with bearer auth listed once', () => {
    for (const operation of [paths['/wards'].get, paths['/wards/{id}'].delete, paths['/wards/count'].get]) {
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(paths['/wards/{id}'].delete.responses['403']).toEqual({ description: "The caller's role is not ADMIN" });
  });
});
