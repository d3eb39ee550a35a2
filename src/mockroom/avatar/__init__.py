"""Hosted avatars that draw the interviewer in a voice call (Tavus, HeyGen LiveAvatar), speaking Mockroom's audio."""
