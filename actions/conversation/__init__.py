"""Conversation actions: menus, emergency guidance, human handoff, feedback, out of scope, small talk.

Texts a resident reads are in texts.py (Japanese first, with English, Portuguese and Spanish; the emergency
guidance in every language the bot detects). The Rasa side (intents, rules) is in bot/domain/conversation.yml and
data/rules/conversation.yml.
"""
