/** The Mimic web editor: one state object, and the controller that wires the page's panels to it. */
import { startEditor } from './editor/controller.js';
import { EditorState } from './editor/state.js';

void startEditor(new EditorState());
