"""Conversation actions: menus, emergency guidance, human handoff, feedback, out of scope, small talk.

Texts a resident reads are in the resident catalogue (knowledge_base/texts), in every language the bot answers
in; texts.py names them for these actions. The Rasa side (intents, rules) is in bot/domain/conversation.yml and
data/rules/conversation.yml.
"""
