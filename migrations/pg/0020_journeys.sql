-- 0020_journeys: a material of a bundle's sub-case can be satisfied two more
-- ways (issue 15): 'form' - the bundle's one form stands for it (一表生成);
-- 'step' - an earlier step of the bundle issues the e-license it asks for (ref
-- names that item); when the step starts the material becomes 'license'.
-- Never edit: add a new number.
ALTER TABLE case_materials DROP CONSTRAINT IF EXISTS case_materials_source_check;
ALTER TABLE case_materials ADD CONSTRAINT case_materials_source_check
    CHECK (source IN ('none', 'file', 'license', 'form', 'step'));
