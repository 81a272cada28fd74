/** The board's views: the room itself, the live chapter, the exercise, the quiz, the export. */
export type BoardTab = 'room' | 'chapter' | 'exercise' | 'quiz' | 'export';
