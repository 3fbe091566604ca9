"""Offline speech: transcription with faster-whisper and delivery metrics."""
