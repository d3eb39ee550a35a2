"""CV intake: reading uploaded CVs (PDF, DOCX, TXT, Markdown) and parsing them into a candidate profile."""
