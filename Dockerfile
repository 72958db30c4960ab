# One image for both Sojourn roles; docker-compose.yml picks the role with `command:`
# (worker/main.ts or api/main.ts). TypeScript runs through tsx, a runtime dependency.
FROM node:20-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# Bundle the workflow code once here, so every worker replica starts without running webpack.
RUN mkdir -p dist && node --import tsx -e "require('./worker/bundle').prepareWorkflowBundle('dist').then((file) => require('node:fs').renameSync(file, 'dist/workflows.js'))"
ENV SOJOURN_WORKFLOW_BUNDLE=/app/dist/workflows.js

USER node
EXPOSE 3000
ENTRYPOINT ["node", "--import", "tsx"]
CMD ["api/main.ts"]
