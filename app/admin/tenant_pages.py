"""Tenant administration (filled in below)."""

from fastapi import APIRouter

pages = APIRouter()
api = APIRouter()
