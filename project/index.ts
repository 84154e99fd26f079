/**
 * Reading definition files from disk (`import … from 'stepflow/project'`): one file, a file's text as if
 * it were on disk, or a whole folder compiled to plans. Handler modules are read, never imported.
 */
export { fileHost, loadDefinition, loadDefinitionText, projectRootOf, shownPath } from './definition-files.ts';
export { DEFINITION_EXTENSIONS, definitionFiles, loadProject, type ProjectPlans } from './load-project.ts';
