"""Live voice interviews: a pipecat pipeline between the browser (WebRTC) and the interview service."""
