"""The pipecat processors of a voice interview, in pipeline order: listener, interviewer, speaker, playback."""
