/** The board's views: the room itself, the live chapter, the exercise, the quiz. */
export type BoardTab = 'room' | 'chapter' | 'exercise' | 'quiz';
