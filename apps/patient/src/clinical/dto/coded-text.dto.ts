import { Type as ClassType } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { CODE_SYSTEMS, CodeSystem, HasNoNullCharacter, IsCodeOfSystem, IsCodeSystem, IsPresent, ValidateInOrder } from './clinical-rules';

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

/** Text as the clinician wrote it, and optionally the code it stands for. */
export interface CodedText {
  text: string;
  coding?: Coding;
}

/** A coding class accepting `systems`: one per use, so each names in OpenAPI what it accepts. */
function codingOf(name: string, systems: readonly CodeSystem[], example: Coding): ClassType<Coding> {
  class CodingDto implements Coding {
    @ApiProperty({ enum: systems, example: example.system })
    @ValidateInOrder(IsPresent('system is required'), IsCodeSystem(systems))
    system: string;

    @ApiProperty({ example: example.code, description: systems.map((system) => `${CODE_SYSTEMS[system].name}: ${CODE_SYSTEMS[system].code}`).join('; ') })
    @ValidateInOrder(IsPresent('code is required'), IsCodeOfSystem())
    code: string;

    @ApiPropertyOptional({ maxLength: 200, example: example.display })
    @ValidateInOrder(IsOptional(), IsString({ message: 'display must be text' }), MaxLength(200, { message: 'display cannot exceed 200 characters' }), HasNoNullCharacter('display contains a character that is not allowed'))
    display?: string;
  }
  // OpenAPI names a schema after its class: each use gets a name of its own.
  Object.defineProperty(CodingDto, 'name', { value: name });
  return CodingDto;
}

/** `{ text, coding? }` whose coding accepts `systems`; `name` prefixes its schemas' names (`Substance`). */
export function codedTextOf(name: string, systems: readonly CodeSystem[], example: CodedText & { coding: Coding }): ClassType<CodedText> {
  const CodingDto = codingOf(`${name}Coding`, systems, example.coding);
  class CodedTextDto implements CodedText {
    @ApiProperty({ maxLength: 200, example: example.text })
    @ValidateInOrder(IsPresent('text is required'), IsString({ message: 'text must be text' }), MaxLength(200, { message: 'text cannot exceed 200 characters' }), HasNoNullCharacter('text contains a character that is not allowed'))
    text: string;

    @ApiPropertyOptional({ type: CodingDto })
    @ValidateInOrder(IsOptional(), IsObject({ message: 'coding must be an object' }), ValidateNested())
    @Type(() => CodingDto)
    coding?: Coding;
  }
  Object.defineProperty(CodedTextDto, 'name', { value: name });
  return CodedTextDto;
}
