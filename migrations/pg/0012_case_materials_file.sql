-- 0012_case_materials_file: who may read an upload that is not theirs is decided
-- by the cases that hold it as a material (src/cases/file_access.c: whoever may
-- see one of them), so a staff read of a file looks its cases up by upload id.
-- Without this index that look-up scans every material of every case.
-- Never edit: add a new number.
CREATE INDEX case_materials_file ON case_materials (ref, case_id) WHERE source = 'file';
